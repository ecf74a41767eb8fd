"""Offline answers in GCP's own formats, for `plan`: resource names, self links, e-mails, hosts."""

import hashlib
import json

from deployer.clouds import UNKNOWN

PROJECT_NUMBER = "000000000000"  # unknown until deployed; the Pub/Sub service agent's address uses it
REDIS_HOST = "10.0.0.3"
REDIS_TLS_PORT = 6378
CDN_ADDRESS = "203.0.113.10"  # TEST-NET-3: a placeholder that can never be a real address
# Memorystore's per-instance CA, known once the instance exists: a placeholder no client can trust.
REDIS_CA_CERT = ("-----BEGIN CERTIFICATE-----\n"
                 "(the instance's CA certificate, known once it is created)\n"
                 "-----END CERTIFICATE-----")

SQL_HOST = "10.0.0.5"
SQL_CA_CERT = REDIS_CA_CERT.replace("the instance's CA", "the Cloud SQL instance's CA")

COMPUTE = "https://www.googleapis.com/compute/v1"
# Global compute resources by their collection in self links.
GLOBAL_COMPUTE = {
    "gcp:compute/backendBucket:BackendBucket": "backendBuckets",
    "gcp:compute/uRLMap:URLMap": "urlMaps",
    "gcp:compute/managedSslCertificate:ManagedSslCertificate": "sslCertificates",
    "gcp:compute/targetHttpsProxy:TargetHttpsProxy": "targetHttpsProxies",
    "gcp:compute/globalAddress:GlobalAddress": "addresses",
    "gcp:compute/globalForwardingRule:GlobalForwardingRule": "forwardingRules",
}


def mock_state(type_: str, name: str, inputs: dict) -> tuple[str, dict]:
    """(id, outputs) the GCP provider would give a new resource of `type_`."""
    project = inputs.get("project", "project")
    region = inputs.get("region", "region")
    physical = inputs.get("name", name)
    if type_ in GLOBAL_COMPUTE:
        path = f"projects/{project}/global/{GLOBAL_COMPUTE[type_]}/{physical}"
        outputs = {"selfLink": f"{COMPUTE}/{path}"}
        if type_ == "gcp:compute/globalAddress:GlobalAddress":
            outputs["address"] = CDN_ADDRESS
        return path, outputs
    if type_ == "gcp:storage/bucket:Bucket":
        return physical, {"url": f"gs://{physical}",
                          "selfLink": f"https://www.googleapis.com/storage/v1/b/{physical}"}
    if type_ == "gcp:pubsub/topic:Topic":
        return f"projects/{project}/topics/{physical}", {}
    if type_ == "gcp:pubsub/subscription:Subscription":
        return f"projects/{project}/subscriptions/{physical}", {}
    if type_ == "gcp:serviceaccount/account:Account":
        email = f"{inputs['accountId']}@{project}.iam.gserviceaccount.com"
        path = f"projects/{project}/serviceAccounts/{email}"
        return path, {"email": email, "name": path, "member": f"serviceAccount:{email}",
                      "uniqueId": "100000000000000000000"}
    if type_ == "gcp:redis/instance:Instance":
        return (f"projects/{project}/locations/{region}/instances/{physical}",
                {"host": REDIS_HOST, "port": REDIS_TLS_PORT, "authString": "redis-auth-string",
                 "serverCaCerts": [{"cert": REDIS_CA_CERT}]})
    if type_ == "gcp:sql/databaseInstance:DatabaseInstance":
        return physical, {"privateIpAddress": SQL_HOST, "connectionName": f"{project}:{region}:{physical}",
                          "serverCaCerts": [{"cert": SQL_CA_CERT}]}
    if type_ == "gcp:secretmanager/secret:Secret":
        path = f"projects/{project}/secrets/{inputs['secretId']}"
        return path, {"name": f"projects/{PROJECT_NUMBER}/secrets/{inputs['secretId']}"}
    if type_ == "gcp:secretmanager/secretVersion:SecretVersion":
        path = f"{inputs['secret']}/versions/1"
        return path, {"name": path, "version": "1"}
    if type_ == "gcp:projects/iAMCustomRole:IAMCustomRole":
        path = f"projects/{project}/roles/{inputs['roleId']}"
        return path, {"name": path}
    if type_ == "random:index/randomPassword:RandomPassword":
        return name, {"result": "0" * int(inputs.get("length", 32))}
    if type_ == "random:index/randomId:RandomId":
        # A stable stand-in for the random bytes, renewed (as the real ones are) when the keepers change.
        digest = hashlib.sha256(json.dumps([name, inputs.get("keepers")], sort_keys=True).encode())
        hex_ = digest.hexdigest()[:2 * int(inputs["byteLength"])]
        return hex_, {"hex": hex_, "dec": str(int(hex_, 16))}
    if type_ == "gcp:cloudscheduler/job:Job":
        return f"projects/{project}/locations/{region}/jobs/{physical}", {}
    return f"{name}-id", {}


def shown_planned(value: str) -> str:
    """VALUE with the project number written as such; an address or certificate GCP assigns is UNKNOWN."""
    if value in (REDIS_HOST, REDIS_CA_CERT, SQL_HOST, SQL_CA_CERT, CDN_ADDRESS):
        return UNKNOWN
    return value.replace(PROJECT_NUMBER, "<project-number>")


def mock_call(token: str, args: dict) -> dict:
    if token == "gcp:organizations/getProject:getProject":
        project = args.get("projectId", "project")
        return {"projectId": project, "number": PROJECT_NUMBER, "name": project,
                "id": f"projects/{project}"}
    return {}


def mock_answers() -> tuple:
    """(state, call) for one offline run."""
    return mock_state, mock_call
