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
	export class AccountFeaturesView {
	    paging: boolean;
	    admin: boolean;
	
	    static createFrom(source: any = {}) {
	        return new AccountFeaturesView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.paging = source["paging"];
	        this.admin = source["admin"];
	    }
	}
	export class BackendKindView {
	    name: string;
	    label: string;
	    description: string;
	    needsAddress: boolean;
	    canProbe: boolean;
	    needsProvider: boolean;
	
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
	        this.needsProvider = source["needsProvider"];
	    }
	}
	export class CapabilitiesView {
	    passwordLogin: boolean;
	    userDirectory: boolean;
	    twoStep: boolean;
	    twoStepAdmin: boolean;
	    browserLogin: boolean;
	    providerName?: string;
	
	    static createFrom(source: any = {}) {
	        return new CapabilitiesView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.passwordLogin = source["passwordLogin"];
	        this.userDirectory = source["userDirectory"];
	        this.twoStep = source["twoStep"];
	        this.twoStepAdmin = source["twoStepAdmin"];
	        this.browserLogin = source["browserLogin"];
	        this.providerName = source["providerName"];
	    }
	}
	export class ClaimView {
	    name: string;
	    value: string;
	
	    static createFrom(source: any = {}) {
	        return new ClaimView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.value = source["value"];
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
	export class MyAccountInfoView {
	    available: boolean;
	    minPasswordLength: number;
	
	    static createFrom(source: any = {}) {
	        return new MyAccountInfoView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.available = source["available"];
	        this.minPasswordLength = source["minPasswordLength"];
	    }
	}
	export class MySessionView {
	    id: string;
	    client: string;
	    userAgent?: string;
	    // Go type: time
	    started: any;
	    // Go type: time
	    lastRefreshed: any;
	    // Go type: time
	    expires: any;
	    current: boolean;
	
	    static createFrom(source: any = {}) {
	        return new MySessionView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.client = source["client"];
	        this.userAgent = source["userAgent"];
	        this.started = this.convertValues(source["started"], null);
	        this.lastRefreshed = this.convertValues(source["lastRefreshed"], null);
	        this.expires = this.convertValues(source["expires"], null);
	        this.current = source["current"];
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
	export class NewUserView {
	    username: string;
	    firstName: string;
	    lastName: string;
	    role: string;
	    password: string;
	
	    static createFrom(source: any = {}) {
	        return new NewUserView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.username = source["username"];
	        this.firstName = source["firstName"];
	        this.lastName = source["lastName"];
	        this.role = source["role"];
	        this.password = source["password"];
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
	export class ProfileView {
	    sub: string;
	    name: string;
	    givenName: string;
	    familyName: string;
	    email: string;
	    claims: ClaimView[];
	    providerLogout: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ProfileView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.sub = source["sub"];
	        this.name = source["name"];
	        this.givenName = source["givenName"];
	        this.familyName = source["familyName"];
	        this.email = source["email"];
	        this.claims = this.convertValues(source["claims"], ClaimView);
	        this.providerLogout = source["providerLogout"];
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
	export class ProviderProbeView {
	    issuer: string;
	    status: string;
	    reason: string;
	    warnings: string[];
	    endpoints: ClaimView[];
	    pkceS256: boolean;
	    revocation: boolean;
	    endSession: boolean;
	    keys: number;
	    signingAlgs: string[];
	
	    static createFrom(source: any = {}) {
	        return new ProviderProbeView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.issuer = source["issuer"];
	        this.status = source["status"];
	        this.reason = source["reason"];
	        this.warnings = source["warnings"];
	        this.endpoints = this.convertValues(source["endpoints"], ClaimView);
	        this.pkceS256 = source["pkceS256"];
	        this.revocation = source["revocation"];
	        this.endSession = source["endSession"];
	        this.keys = source["keys"];
	        this.signingAlgs = source["signingAlgs"];
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
	export class ProviderSettingsView {
	    issuer: string;
	    clientId: string;
	    scopes: string;
	
	    static createFrom(source: any = {}) {
	        return new ProviderSettingsView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.issuer = source["issuer"];
	        this.clientId = source["clientId"];
	        this.scopes = source["scopes"];
	    }
	}
	export class RememberView {
	    keep: boolean;
	    location: string;
	    problem?: string;
	    notice?: string;
	
	    static createFrom(source: any = {}) {
	        return new RememberView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.keep = source["keep"];
	        this.location = source["location"];
	        this.problem = source["problem"];
	        this.notice = source["notice"];
	    }
	}
	export class SettingsView {
	    backend: string;
	    remoteUrl: string;
	    provider: ProviderSettingsView;
	    version?: string;
	
	    static createFrom(source: any = {}) {
	        return new SettingsView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.backend = source["backend"];
	        this.remoteUrl = source["remoteUrl"];
	        this.provider = this.convertValues(source["provider"], ProviderSettingsView);
	        this.version = source["version"];
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
	export class UserEditView {
	    firstName: string;
	    lastName: string;
	    role: string;
	
	    static createFrom(source: any = {}) {
	        return new UserEditView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.firstName = source["firstName"];
	        this.lastName = source["lastName"];
	        this.role = source["role"];
	    }
	}
	export class UserRowView {
	    id: string;
	    username: string;
	    firstName: string;
	    lastName: string;
	    role?: string;
	    disabled: boolean;
	    // Go type: time
	    lockedUntil: any;
	
	    static createFrom(source: any = {}) {
	        return new UserRowView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.username = source["username"];
	        this.firstName = source["firstName"];
	        this.lastName = source["lastName"];
	        this.role = source["role"];
	        this.disabled = source["disabled"];
	        this.lockedUntil = this.convertValues(source["lockedUntil"], null);
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
	export class UserPageView {
	    users: UserRowView[];
	    next: string;
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new UserPageView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.users = this.convertValues(source["users"], UserRowView);
	        this.next = source["next"];
	        this.total = source["total"];
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
	export class UserQueryView {
	    search: string;
	    sort: string;
	    desc: boolean;
	    limit: number;
	    cursor: string;
	
	    static createFrom(source: any = {}) {
	        return new UserQueryView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.search = source["search"];
	        this.sort = source["sort"];
	        this.desc = source["desc"];
	        this.limit = source["limit"];
	        this.cursor = source["cursor"];
	    }
	}
	

}

