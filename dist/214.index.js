"use strict";
exports.id = 214;
exports.ids = [214];
exports.modules = {

/***/ 214:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  createClusterWatch: () => (/* binding */ createClusterWatch)
});

// UNUSED EXPORTS: watchClusters

// EXTERNAL MODULE: ./src/common/clouds.ts
var clouds = __webpack_require__(9707);
// EXTERNAL MODULE: ./src/common/errors.ts
var errors = __webpack_require__(1922);
// EXTERNAL MODULE: ./src/common/text.ts
var common_text = __webpack_require__(2450);
// EXTERNAL MODULE: ./src/atlas/endpoint.ts
var endpoint = __webpack_require__(9134);
;// CONCATENATED MODULE: ./src/atlas/cluster.ts
/**
 * One Atlas cluster as this action needs it (issue 16): its state, whether it is paused, and
 * the private-endpoint connection strings it serves; and the judgement of whether it is ready
 * for a deploy to connect through the endpoints this step checks. As with endpoints, nothing
 * from the network gets past parseCluster unchecked: a body that is not the cluster becomes a
 * ResponseFormatError saying what was found, and a connection string that could carry a
 * credential, a line break or markup is refused rather than shortened or cleaned.
 */




/** A cluster name as Atlas allows it. */
const CLUSTER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9-]{0,63}$/;
/** A name Atlas uses for a state, type or provider: short and plain. */
const PLAIN_NAME = /^[A-Za-z0-9_-]{1,64}$/;
/** How many entries, endpoints per entry and region configurations are read; Atlas has a handful. */
const MAX_ENTRIES = 50;
const MAX_ENDPOINTS_PER_ENTRY = 100;
const MAX_REPLICATION_SPECS = 100;
/** A connection string of 70 hosts is about 4 KB; a longer one is not Atlas's. */
const MAX_CONNECTION_STRING_LENGTH = 4096;
/**
 * What a private connection string is made of: the scheme, host names with ports, and options
 * (`/?ssl=true&authSource=admin&replicaSet=\u2026`). No `@` (user information: a credential),
 * no whitespace or control characters, no quotes, backslashes or markup.
 */
const CONNECTION_STRING = {
    'mongodb://': /^mongodb:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(,[A-Za-z0-9.-]+(:\d{1,5})?)*(\/[A-Za-z0-9._~%&=+,:?/-]*)?$/,
    'mongodb+srv://': /^mongodb\+srv:\/\/[A-Za-z0-9.-]+(\/[A-Za-z0-9._~%&=+,:?/-]*)?$/
};
const STRING_FIELDS = [
    ['connectionString', 'mongodb://'],
    ['srvConnectionString', 'mongodb+srv://'],
    ['srvShardOptimizedConnectionString', 'mongodb+srv://']
];
/** Providers of clusters the private endpoints of a project never serve. */
const SHARED_TIERS = ['TENANT', 'FLEX', 'SERVERLESS'];
function parseCluster(text, contentType, askedName) {
    const record = (0,endpoint/* parseJson */.qF)(text, contentType, 'the cluster resource');
    const wrong = (what) => new errors/* ResponseFormatError */.TT(`Atlas answered HTTP 200 for cluster ${(0,common_text/* quote */.hD)(askedName, 80)} with JSON that has ${what}; expected the cluster resource ({name, stateName, paused, connectionStrings}). Check base-url and cluster-name.`);
    const name = record.name;
    if (typeof name !== 'string')
        throw wrong(shown('name', name));
    // The pattern first: some non-ASCII letters lower-case to ASCII ones (the Kelvin sign to "k").
    if (!CLUSTER_NAME.test(name) || name.toLowerCase() !== askedName.toLowerCase()) {
        throw wrong(`name ${(0,common_text/* quote */.hD)((0,common_text/* oneLine */.TN)(name, 80))}, another cluster than the one asked for`);
    }
    const stateName = record.stateName;
    if (typeof stateName !== 'string' || !PLAIN_NAME.test(stateName))
        throw wrong(shown('stateName', stateName));
    const paused = record.paused;
    if (paused !== undefined && paused !== null && typeof paused !== 'boolean')
        throw wrong(shown('paused', paused));
    const clusterType = optionalName(record.clusterType, 'clusterType', wrong);
    return {
        name,
        stateName,
        paused: paused === true,
        ...(clusterType !== '' ? { clusterType } : {}),
        ...sharedTier(record.replicationSpecs),
        entries: privateEndpointEntries(record.connectionStrings, wrong),
        raw: text
    };
}
/** `connectionStrings.privateEndpoint`, every field checked; absent or null: no entries (yet). */
function privateEndpointEntries(value, wrong) {
    if (value === undefined || value === null)
        return [];
    if (!isObject(value))
        throw wrong(shown('connectionStrings', value));
    const list = value.privateEndpoint;
    if (list === undefined || list === null)
        return [];
    if (!Array.isArray(list))
        throw wrong(shown('connectionStrings.privateEndpoint', list));
    if (list.length > MAX_ENTRIES) {
        throw wrong(`${list.length} connectionStrings.privateEndpoint entries (at most ${MAX_ENTRIES} are read)`);
    }
    return list.map((entry, index) => {
        const where = `connectionStrings.privateEndpoint[${index}]`;
        if (!isObject(entry))
            throw wrong(shown(where, entry));
        const strings = Object.fromEntries(STRING_FIELDS.map(([field, scheme]) => [
            field,
            connectionString(entry[field], `${where}.${field}`, scheme, wrong)
        ]));
        const endpoints = entry.endpoints;
        if (endpoints !== undefined && endpoints !== null && !Array.isArray(endpoints)) {
            throw wrong(shown(`${where}.endpoints`, endpoints));
        }
        const refs = (endpoints ?? []);
        if (refs.length > MAX_ENDPOINTS_PER_ENTRY) {
            throw wrong(`${refs.length} endpoints in ${where} (at most ${MAX_ENDPOINTS_PER_ENTRY} are read)`);
        }
        return {
            ...strings,
            type: optionalName(entry.type, `${where}.type`, wrong),
            endpoints: refs.map((ref, i) => endpointRef(ref, `${where}.endpoints[${i}]`, wrong))
        };
    });
}
function endpointRef(value, where, wrong) {
    if (!isObject(value))
        throw wrong(shown(where, value));
    const id = value.endpointId;
    // An endpoint ID is plain printable text: a vpce- ID, an Azure resource ID or a GCP name.
    if (typeof id !== 'string' || !/^[\x21-\x7e]{1,512}$/.test(id))
        throw wrong(shown(`${where}.endpointId`, id));
    return {
        endpointId: id,
        providerName: optionalName(value.providerName, `${where}.providerName`, wrong),
        region: optionalName(value.region, `${where}.region`, wrong)
    };
}
/** A connection string of the field's scheme, or '' when absent; anything else is refused. */
function connectionString(value, where, scheme, wrong) {
    if (value === undefined || value === null || value === '')
        return '';
    if (typeof value !== 'string')
        throw wrong(shown(where, value));
    // A string with user information may hold a password: say so, never show it.
    if (value.includes('@')) {
        throw wrong(`a ${where} holding user information ("@"; not shown), which a private connection string never has`);
    }
    if (value.length > MAX_CONNECTION_STRING_LENGTH) {
        throw wrong(`a ${where} of ${value.length} characters (at most ${MAX_CONNECTION_STRING_LENGTH})`);
    }
    if (!CONNECTION_STRING[scheme].test(value)) {
        throw wrong(`${where} ${(0,common_text/* quote */.hD)(value, 120)}, which is not a ${scheme} URI of host names and options (no spaces, line breaks, quotes or markup)`);
    }
    return value;
}
/** A plain name (a type, a provider, a region), or '' when absent. */
function optionalName(value, where, wrong) {
    if (value === undefined || value === null)
        return '';
    if (typeof value !== 'string' || !PLAIN_NAME.test(value))
        throw wrong(shown(where, value));
    return value;
}
/**
 * The shared tier of a free, flex or serverless cluster, read from the providers of its
 * `replicationSpecs[].regionConfigs[]`. Only a hint towards a clearer failure: a body without
 * them (or with them in another shape) is a dedicated cluster as far as this goes.
 */
function sharedTier(specs) {
    if (!Array.isArray(specs))
        return {};
    for (const spec of specs.slice(0, MAX_REPLICATION_SPECS)) {
        if (!isObject(spec) || !Array.isArray(spec.regionConfigs))
            continue;
        for (const config of spec.regionConfigs.slice(0, MAX_REPLICATION_SPECS)) {
            const provider = isObject(config) ? config.providerName : undefined;
            if (typeof provider === 'string' && SHARED_TIERS.includes(provider))
                return { sharedTier: provider };
        }
    }
    return {};
}
function isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/** "no stateName field" / "stateName 42": what was found, shown inertly. */
function shown(field, value) {
    return value === undefined ? `no ${field} field` : `${field} ${(0,common_text/* quote */.hD)((0,common_text/* oneLine */.TN)((0,endpoint/* safeStringify */.Jm)(value), 60))}`;
}
/** The string a deploy connects with: the shard-optimized SRV string, else the SRV string, else the standard one. */
function connectionStringFor(entry) {
    return entry.srvShardOptimizedConnectionString || entry.srvConnectionString || entry.connectionString;
}
/** States in which Atlas is still applying a change: the strings may appear once it is done. */
const BUSY_STATES = ['CREATING', 'UPDATING', 'REPAIRING'];
/**
 * Whether the cluster serves every endpoint this step checks. Ready only when it is IDLE, not
 * paused, and one entry lists every endpoint and gives a string to connect with; a state this
 * version does not know is waited on, never taken for ready.
 */
function judgeCluster(state, endpointIds, cloud) {
    const cluster = `cluster ${state.name}`;
    if (state.sharedTier !== undefined)
        return notDedicated(state.name, state.sharedTier);
    if (state.paused) {
        return {
            kind: 'failed',
            why: `${cluster} is paused`,
            advice: `A paused cluster accepts no connections. Resume ${state.name} in Atlas (Clusters \u2192 \u2026 \u2192 Resume Cluster, or \`atlas clusters start ${state.name}\`), then run the workflow again.`
        };
    }
    if (state.stateName === 'DELETING' || state.stateName === 'DELETED') {
        return {
            kind: 'failed',
            why: `${cluster} is ${state.stateName}`,
            advice: `Atlas is deleting ${state.name}, so it will never serve the endpoints. Check cluster-name: it should name the cluster the deploy connects to.`
        };
    }
    const match = bestEntry(state.entries, endpointIds, cloud.provider);
    const missing = endpointIds.filter(id => !match.listed.includes(id));
    const strings = missing.length === 0 && match.entry !== undefined && connectionStringFor(match.entry) === ''
        ? 'its private connection string entry for the endpoints gives no connection string'
        : missing.length > 0
            ? `its private connection strings do not list ${listOf(missing)}`
            : undefined;
    if (state.stateName === 'IDLE' && strings === undefined && match.entry !== undefined) {
        return { kind: 'ready', entry: match.entry };
    }
    const stateText = BUSY_STATES.includes(state.stateName) || state.stateName === 'IDLE'
        ? `${cluster} is ${state.stateName}`
        : `${cluster} is in state ${state.stateName}, which this version of the action does not know`;
    return {
        kind: 'waiting',
        why: strings === undefined ? `${stateText}; Atlas is still applying a change` : `${stateText}; ${strings}`
    };
}
/** The failure for a cluster private endpoints never serve (free, flex or serverless). */
function notDedicated(name, tier) {
    const kind = tier === 'TENANT' ? 'a free (M0) cluster' : tier === 'FLEX' ? 'a Flex cluster' : 'a serverless instance';
    return {
        kind: 'failed',
        why: `cluster ${name} is ${kind}, which the project's private endpoints do not serve`,
        advice: `Private endpoints of an endpoint service connect to dedicated clusters (M10 and larger) only; ${kind} has its own kind of private endpoint or none. Remove ${name} from cluster-name, or name a dedicated cluster.`
    };
}
/**
 * The entry that lists every one of the endpoints, whatever the cluster's state (the `clusters`
 * output shows its strings even while the cluster is still UPDATING); undefined when none does.
 */
function entryListing(state, endpointIds, provider) {
    const match = bestEntry(state.entries, endpointIds, provider);
    return match.entry !== undefined && match.listed.length === endpointIds.length ? match.entry : undefined;
}
/**
 * The entry that lists the most of the endpoints (the first of equals), and which of them it
 * lists. One entry may list several endpoints, one per region; an entry of another cloud's
 * endpoints never counts.
 */
function bestEntry(entries, endpointIds, provider) {
    let best = { listed: [] };
    for (const entry of entries) {
        const listed = endpointIds.filter(id => entry.endpoints.some(ref => (ref.providerName === '' || ref.providerName === provider) &&
            sameEndpoint(ref.endpointId, id, provider)));
        if (best.entry === undefined || listed.length > best.listed.length)
            best = { entry, listed };
    }
    return best;
}
/**
 * Whether the ID Atlas lists is the ID checked. Azure resource IDs ignore case (and may be
 * listed percent-encoded); AWS IDs (lower-case hexadecimal) and GCP names are compared exactly.
 */
function sameEndpoint(listed, checked, provider) {
    // AWS IDs are lower case by rule (as parseEndpoint compares them): "VPCE-\u2026" is not the endpoint.
    if (provider === 'GCP' || provider === 'AWS')
        return listed === checked;
    return (0,clouds/* decodeOnce */.Bz)(listed).toLowerCase() === checked.toLowerCase();
}
/** "vpce-a", "vpce-a and vpce-b", "vpce-a, vpce-b and 3 more". */
function listOf(ids) {
    if (ids.length === 1)
        return ids[0];
    if (ids.length <= 3)
        return `${ids.slice(0, -1).join(', ')} and ${ids[ids.length - 1]}`;
    return `${ids.slice(0, 2).join(', ')} and ${ids.length - 2} more`;
}

// EXTERNAL MODULE: ./src/common/constants.ts
var constants = __webpack_require__(8952);
// EXTERNAL MODULE: ./src/atlas/client.ts
var client = __webpack_require__(3960);
// EXTERNAL MODULE: ./src/atlas/errors.ts
var atlas_errors = __webpack_require__(492);
;// CONCATENATED MODULE: ./src/atlas/clusters.ts







/** The version of the cluster resource this release reads (the API also serves 2023-01-01 and 2023-02-01). */
const CLUSTER_VERSION = '2024-08-05';
/** Pages of the cluster listing read at most, and names kept at most: enough for any real project. */
const MAX_CLUSTER_PAGES = 10;
const MAX_CLUSTER_NAMES = 5000;
const ITEMS_PER_PAGE = 500;
/** Atlas's codes for a cluster the dedicated-cluster API does not serve, and what kind it is. */
const NOT_DEDICATED_CODES = {
    CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API: 'FLEX',
    CANNOT_USE_SERVERLESS_INSTANCE_IN_CLUSTER_API: 'SERVERLESS'
};
/** A cluster name as Atlas allows it; listed names of any other form are dropped, never shown. */
const clusters_CLUSTER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9-]{0,63}$/;
/** Atlas answered 404 for a cluster: no cluster of that name in the project (or the key cannot see it). */
class ClusterNotFoundError extends errors/* AtlasApiError */.y1 {
    clusterName;
    constructor(message, clusterName, errorCode) {
        super(message, 404, errorCode);
        this.clusterName = clusterName;
        this.name = 'ClusterNotFoundError';
    }
}
/** Atlas answered that the cluster is a Flex cluster or a serverless instance, which private endpoints do not serve. */
class NotDedicatedClusterError extends errors/* AtlasApiError */.y1 {
    clusterName;
    tier;
    verdict;
    constructor(clusterName, 
    /** FLEX or SERVERLESS. */
    tier, verdict, httpStatus, errorCode) {
        super(`${verdict.why.charAt(0).toUpperCase()}${verdict.why.slice(1)}. ${verdict.advice}`, httpStatus, errorCode);
        this.clusterName = clusterName;
        this.tier = tier;
        this.verdict = verdict;
        this.name = 'NotDedicatedClusterError';
    }
}

class ClusterReader {
    options;
    /** The v2 API root the clusters are read from. */
    root;
    /** True when base-url is the v1.0 API and the clusters are read from the v2 root of its origin (worth a log line). */
    movedToV2;
    announced = false;
    constructor(options) {
        this.options = options;
        this.root = (0,client/* v2RootOf */.G)(options.baseUrl);
        this.movedToV2 = options.api === 'v1.0';
    }
    /** `{root}/groups/{groupId}/clusters/{clusterName}`, each segment encoded once. */
    clusterUrl(name) {
        return `${this.collectionUrl()}/${encodeURIComponent(name)}`;
    }
    /**
     * One cluster. Returns its state, or throws ClusterNotFoundError (404),
     * NotDedicatedClusterError (a Flex cluster or serverless instance), TransientError (429,
     * 5xx: worth retrying), AtlasApiError or ResponseFormatError.
     */
    async readCluster(name) {
        const response = await this.get(this.clusterUrl(name));
        const text = await response.text();
        if (response.status === 200)
            return parseCluster(text, response.headers.get('content-type'), name);
        const body = (0,atlas_errors/* readErrorBody */.Nk)(text, response.headers);
        const tier = body.errorCode !== undefined ? NOT_DEDICATED_CODES[body.errorCode] : undefined;
        if (tier !== undefined && response.status >= 400 && response.status < 500) {
            throw new NotDedicatedClusterError(name, tier, notDedicated(name, tier), response.status, body.errorCode);
        }
        if (response.status === 404 && !isAboutTheProject(body)) {
            throw new ClusterNotFoundError(`Atlas has no cluster named ${(0,common_text/* quote */.hD)(name, 80)} in project ${this.options.projectId}: it answered ${(0,atlas_errors/* describeAnswer */.O1)(404, body)}.`, name, body.errorCode);
        }
        throw this.failure(response, body);
    }
    /**
     * The names of the project's clusters, in Atlas's order, read page by page (at most
     * MAX_CLUSTER_PAGES pages of 500, MAX_CLUSTER_NAMES names). Names not of Atlas's form are
     * dropped: they are only ever offered as "did you mean \u2026?".
     */
    async listClusterNames() {
        const names = [];
        for (let page = 1; page <= MAX_CLUSTER_PAGES; page += 1) {
            const response = await this.get(`${this.collectionUrl()}?itemsPerPage=${ITEMS_PER_PAGE}&pageNum=${page}`);
            const text = await response.text();
            if (response.status !== 200)
                throw this.failure(response, (0,atlas_errors/* readErrorBody */.Nk)(text, response.headers));
            const { results, count, totalCount } = parseClusterPage(text, response.headers.get('content-type'));
            for (const result of results)
                if (names.length < MAX_CLUSTER_NAMES)
                    names.push(result);
            const seen = (page - 1) * ITEMS_PER_PAGE + count;
            if (count < ITEMS_PER_PAGE || seen >= totalCount || names.length >= MAX_CLUSTER_NAMES)
                break;
        }
        return names;
    }
    collectionUrl() {
        return `${this.root}/groups/${encodeURIComponent(this.options.projectId)}/clusters`;
    }
    async get(url) {
        const response = await this.options.send(url, {
            method: 'GET',
            headers: { Accept: `application/vnd.atlas.${CLUSTER_VERSION}+json`, 'User-Agent': constants/* USER_AGENT */._O }
        });
        this.announceDeprecation(response.headers);
        return response;
    }
    /** The error for an answer other than 200 that is not about the cluster's existence or kind. */
    failure(response, body) {
        return (0,atlas_errors/* answerFailure */.Rp)(response, body, {
            now: this.options.now(),
            base: this.root,
            subject: ' to a cluster read',
            hint: (status, code) => this.hint(status, code)
        });
    }
    hint(status, code) {
        if (status === 406 || status === 410) {
            return `Atlas no longer serves version ${CLUSTER_VERSION} of the cluster resource, which this release of the action reads: update the action to its latest release.`;
        }
        if (status === 400 && code === 'PATH_PARAM_PARSE_ERROR') {
            return 'Atlas could not read the project ID or a cluster name in the request path: check project-id and cluster-name.';
        }
        // 401, 403 and the project's 404 read as they do for the endpoints; the v2 role applies.
        return (0,atlas_errors/* hint */.aK)(status, code, {
            api: 'v2',
            cloud: this.options.cloud,
            credentialKind: this.options.credentialKind
        });
    }
    /** One warning per run when Atlas says, in headers, that the cluster version read is going away. */
    announceDeprecation(headers) {
        if (this.announced || !this.options.log)
            return;
        const announced = (0,atlas_errors/* announcedEnd */.jk)(headers);
        if (announced === undefined)
            return;
        this.announced = true;
        this.options.log.warning(`Atlas announced that version ${CLUSTER_VERSION} of the cluster resource, which this release of the action reads, is ${announced}. The step still works today; update the action to its latest release.`, 'Atlas API deprecation');
    }
}
function isAboutTheProject(body) {
    return body.errorCode !== undefined && atlas_errors/* PROJECT_NOT_FOUND_CODES */.KP.includes(body.errorCode);
}
/**
 * One page of `GET \u2026/clusters`: `{results: [{name, \u2026}], totalCount}`. `results` holds the
 * well-formed names; `count`, how many results the page had (for paging).
 */
function parseClusterPage(text, contentType) {
    const record = (0,endpoint/* parseJson */.qF)(text, contentType, 'a page of the project\u2019s clusters');
    const { results, totalCount } = record;
    if (!Array.isArray(results)) {
        throw new errors/* ResponseFormatError */.TT(`Atlas answered HTTP 200 to the cluster listing with JSON whose results is not a list; expected {results: [...], totalCount}. Check base-url.`);
    }
    if (typeof totalCount !== 'number' || !Number.isSafeInteger(totalCount) || totalCount < 0) {
        throw new errors/* ResponseFormatError */.TT(`Atlas answered HTTP 200 to the cluster listing with JSON whose totalCount is not a whole number; expected {results: [...], totalCount}. Check base-url.`);
    }
    const names = results.slice(0, ITEMS_PER_PAGE).flatMap(result => {
        const name = typeof result === 'object' && result !== null ? result.name : undefined;
        return typeof name === 'string' && clusters_CLUSTER_NAME.test(name) ? [name] : [];
    });
    return { results: names, count: results.length, totalCount };
}
/**
 * What to say when a cluster is not found: its name, and the project's cluster of the nearest
 * name when there is one within edit distance 2 (the lead's loop finds it with `nearest`).
 */
function missingCluster(name, near) {
    return near === undefined
        ? {
            why: `Atlas has no cluster named ${name} in this project`,
            advice: `Check cluster-name against the project's clusters in Atlas (Clusters page): the name is the one Atlas shows, e.g. "Cluster0". If the cluster is in another project, this step's project-id must be that project.`
        }
        : {
            why: `Atlas has no cluster named ${name} in this project; it has a cluster named ${near}`,
            advice: `Is cluster-name mistyped? Set it to ${near} if that is the cluster the deploy connects to.`
        };
}

// EXTERNAL MODULE: ./src/common/edit-distance.ts
var edit_distance = __webpack_require__(7369);
// EXTERNAL MODULE: ./src/wait/clusters.ts
var clusters = __webpack_require__(9266);
;// CONCATENATED MODULE: ./src/wait/cluster-watch.ts




/**
 * The watch over the named clusters, through the reader (and so the Digest challenge or token)
 * the run already has. main.ts imports this module only when cluster-name names clusters, so a
 * run without them never loads the cluster reader, parser and judge.
 */
function watchClusters(reader, names, cloud) {
    return {
        names,
        read: name => reader.readCluster(name),
        judge: (state, endpointIds) => judgeCluster(state, endpointIds, cloud),
        entryFor: (state, endpointIds) => entryListing(state, endpointIds, cloud.provider),
        connectionFor: connectionStringFor,
        failureOf: async (error, cluster) => {
            if (error instanceof NotDedicatedClusterError)
                return (0,clusters/* failureOf */.g5)(cluster, error.verdict);
            if (!(error instanceof ClusterNotFoundError))
                return error;
            // A listing Atlas refuses (some projects answer 400 for flex clusters) only means no near name.
            const near = await reader.listClusterNames().then(listed => (0,edit_distance/* nearest */.p)(cluster.name, listed), () => undefined);
            const { why, advice } = missingCluster(cluster.name, near);
            return new clusters/* ClusterFailure */.n1(`${why}. ${advice}`, cluster, 'missing');
        }
    };
}
/**
 * The reader and the watch together, for main.ts: one dynamic import brings the whole cluster
 * side (one chunk, not two that would each carry the parser).
 */
function createClusterWatch(options) {
    const reader = new ClusterReader(options);
    return { watch: watchClusters(reader, options.names, options.cloud), reader };
}


/***/ })

};
;