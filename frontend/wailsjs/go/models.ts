export namespace app {
	
	export class AboutInfo {
	    name: string;
	    version: string;
	    commit: string;
	    license: string;
	    copyright: string;
	    dataDir: string;
	    website: string;
	
	    static createFrom(source: any = {}) {
	        return new AboutInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.version = source["version"];
	        this.commit = source["commit"];
	        this.license = source["license"];
	        this.copyright = source["copyright"];
	        this.dataDir = source["dataDir"];
	        this.website = source["website"];
	    }
	}
	export class LoginInfo {
	    backendKind: string;
	    backendLabel: string;
	    demoHint: boolean;
	
	    static createFrom(source: any = {}) {
	        return new LoginInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.backendKind = source["backendKind"];
	        this.backendLabel = source["backendLabel"];
	        this.demoHint = source["demoHint"];
	    }
	}
	export class SettingsView {
	    backend: string;
	    remoteUrl: string;
	    version?: string;
	
	    static createFrom(source: any = {}) {
	        return new SettingsView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.backend = source["backend"];
	        this.remoteUrl = source["remoteUrl"];
	        this.version = source["version"];
	    }
	}
	export class ThemeView {
	    theme: string;
	
	    static createFrom(source: any = {}) {
	        return new ThemeView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.theme = source["theme"];
	    }
	}
	export class URLCheck {
	    ok: boolean;
	    url: string;
	    message: string;
	    warning: string;
	
	    static createFrom(source: any = {}) {
	        return new URLCheck(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ok = source["ok"];
	        this.url = source["url"];
	        this.message = source["message"];
	        this.warning = source["warning"];
	    }
	}

}

export namespace backend {
	
	export class User {
	    id: string;
	    username: string;
	    firstName: string;
	    lastName: string;
	    role?: string;
	    // Go type: time
	    created: any;
	
	    static createFrom(source: any = {}) {
	        return new User(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.username = source["username"];
	        this.firstName = source["firstName"];
	        this.lastName = source["lastName"];
	        this.role = source["role"];
	        this.created = this.convertValues(source["created"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace remote {
	
	export class ProbeResult {
	    url: string;
	    status: string;
	    reason: string;
	
	    static createFrom(source: any = {}) {
	        return new ProbeResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.url = source["url"];
	        this.status = source["status"];
	        this.reason = source["reason"];
	    }
	}

}

export namespace session {
	
	export class Session {
	    user: backend.User;
	    backendKind: string;
	    backendLabel: string;
	    // Go type: time
	    accessExpires: any;
	    // Go type: time
	    lastRefresh: any;
	
	    static createFrom(source: any = {}) {
	        return new Session(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.user = this.convertValues(source["user"], backend.User);
	        this.backendKind = source["backendKind"];
	        this.backendLabel = source["backendLabel"];
	        this.accessExpires = this.convertValues(source["accessExpires"], null);
	        this.lastRefresh = this.convertValues(source["lastRefresh"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

