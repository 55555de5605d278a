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
	export class BackendKindView {
	    name: string;
	    label: string;
	    description: string;
	    needsAddress: boolean;
	    canProbe: boolean;
	
	    static createFrom(source: any = {}) {
	        return new BackendKindView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.label = source["label"];
	        this.description = source["description"];
	        this.needsAddress = source["needsAddress"];
	        this.canProbe = source["canProbe"];
	    }
	}
	export class CapabilitiesView {
	    passwordLogin: boolean;
	    userDirectory: boolean;
	    twoStep: boolean;
	    twoStepAdmin: boolean;
	
	    static createFrom(source: any = {}) {
	        return new CapabilitiesView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.passwordLogin = source["passwordLogin"];
	        this.userDirectory = source["userDirectory"];
	        this.twoStep = source["twoStep"];
	        this.twoStepAdmin = source["twoStepAdmin"];
	    }
	}
	export class CodeStepView {
	    pending: boolean;
	    // Go type: time
	    until: any;
	
	    static createFrom(source: any = {}) {
	        return new CodeStepView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.pending = source["pending"];
	        this.until = this.convertValues(source["until"], null);
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
	export class FormCheck {
	    ok: boolean;
	    remoteUrl: string;
	    message: string;
	    warning: string;
	    changed: boolean;
	    switches: boolean;
	
	    static createFrom(source: any = {}) {
	        return new FormCheck(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ok = source["ok"];
	        this.remoteUrl = source["remoteUrl"];
	        this.message = source["message"];
	        this.warning = source["warning"];
	        this.changed = source["changed"];
	        this.switches = source["switches"];
	    }
	}
	export class LanguageView {
	    language: string;
	
	    static createFrom(source: any = {}) {
	        return new LanguageView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.language = source["language"];
	    }
	}
	export class LoginInfo {
	    backendKind: string;
	    backendLabel: string;
	    demoHint: boolean;
	    capabilities: CapabilitiesView;
	
	    static createFrom(source: any = {}) {
	        return new LoginInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.backendKind = source["backendKind"];
	        this.backendLabel = source["backendLabel"];
	        this.demoHint = source["demoHint"];
	        this.capabilities = this.convertValues(source["capabilities"], CapabilitiesView);
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
	export class ProbeView {
	    url: string;
	    status: string;
	    reason: string;
	
	    static createFrom(source: any = {}) {
	        return new ProbeView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.url = source["url"];
	        this.status = source["status"];
	        this.reason = source["reason"];
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
	export class SaveResult {
	    settings: SettingsView;
	    switched: boolean;
	
	    static createFrom(source: any = {}) {
	        return new SaveResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.settings = this.convertValues(source["settings"], SettingsView);
	        this.switched = source["switched"];
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
	export class UserView {
	    id: string;
	    username: string;
	    firstName: string;
	    lastName: string;
	    role?: string;
	
	    static createFrom(source: any = {}) {
	        return new UserView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.username = source["username"];
	        this.firstName = source["firstName"];
	        this.lastName = source["lastName"];
	        this.role = source["role"];
	    }
	}
	export class SessionView {
	    user: UserView;
	    backendKind: string;
	    backendLabel: string;
	    // Go type: time
	    accessExpires: any;
	    // Go type: time
	    lastRefresh: any;
	
	    static createFrom(source: any = {}) {
	        return new SessionView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.user = this.convertValues(source["user"], UserView);
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
	export class TwoStepSetupView {
	    secret: string;
	    uri: string;
	
	    static createFrom(source: any = {}) {
	        return new TwoStepSetupView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.secret = source["secret"];
	        this.uri = source["uri"];
	    }
	}
	export class TwoStepStatusView {
	    enabled: boolean;
	    // Go type: time
	    since: any;
	    recoveryCodesLeft: number;
	
	    static createFrom(source: any = {}) {
	        return new TwoStepStatusView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.enabled = source["enabled"];
	        this.since = this.convertValues(source["since"], null);
	        this.recoveryCodesLeft = source["recoveryCodesLeft"];
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

