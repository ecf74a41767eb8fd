"""Every validation rule of SPEC.md: an invalid YAML spec per rule, asserting the message, the spec path
and the line (the line marked `# <-` in the case)."""

import textwrap

import pytest

from deployer.errors import SpecInvalid
from deployer.speclang.load import load_spec, resolve, validate

BASE = """\
app: shop
aws: {region: eu-west-1}
gcp: {project: shop-1234, region: europe-west1}
secrets: [StripeAPIKey, SendGridToken]
services:
  api: {url: "https://api.example.com"}
  worker: {}
"""
ON_GCP = "environments: {staging: {type: dev, provider: gcp}}\n"


def problems_of(tmp_path, text: str):
    spec = tmp_path / "infra.yaml"
    spec.write_text(text)
    try:
        return validate(load_spec(spec))
    except SpecInvalid as err:  # the document could not be read at all
        return err.problems


def marked_line(text: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if "# <-" in line)


def case(addition: str, path: str, message: str, *, base: str = BASE, id: str):
    return pytest.param(base + textwrap.dedent(addition).lstrip("\n"), path, message, id=id)


CASES = [
    # --- names --------------------------------------------------------------------------------------
    case("", "app", '"Shop" does not match', base=BASE.replace("app: shop", "app: Shop  # <-"), id="app-name"),
    case("""
        caches:
          My_Cache: {}  # <-
        """, "caches.My_Cache", '"My_Cache" does not match ^[a-z][a-z0-9.-]*[a-z0-9]$', id="cache-name"),
    case("""
        buckets:
          uploads-: {}  # <-
        """, "buckets.uploads-", "does not match", id="bucket-name"),
    case("""
        topics:
          signups:
            subscriptions:
              Welcome: {service: api}  # <-
        """, "topics.signups.subscriptions.Welcome", "does not match", id="subscription-name"),
    case("""
        cron:
          nightly_job: {every: 24h, endpoint: "https://x.example.com"}  # <-
        """, "cron.nightly_job", "does not match", id="cron-id"),
    case("""
        topics:
          site-added: {}
          site.added: {}  # <-
        """, "topics.site.added", 'its topic "shop-prod-site-added" is also the topic of topics.site-added: rename '
         "one of them", id="a-dotted-name-whose-physical-name-is-another-s"),
    case("""
        topics:
          Site.Added: {}  # <-
        """, "topics.Site.Added", "does not match ^[a-z][a-z0-9.-]*[a-z0-9]$", id="topic-name-upper-case"),
    # --- deployments ----------------------------------------------------------------------------------
    case("""
        deployments:
          app: {services: [api, wroker]}  # <-
        """, "deployments.app.services.1", 'unknown service "wroker"; did you mean "worker"?',
         id="deployment-of-an-unknown-service"),
    case("""
        deployments:
          front: {services: [api]}
          back: {services: [worker, api]}  # <-
        """, "deployments.back.services.1", 'service "api" is already in deployment "front": a service runs in '
         "one deployment (one container, one identity)", id="service-in-two-deployments"),
    case("""
        deployments:
          worker: {services: [api]}
        """, "services.worker", 'its role "shop-prod-worker" is also the role of deployments.worker: rename one',
         base=BASE.replace("  worker: {}", "  worker: {}  # <-"), id="deployment-named-as-a-service-it-does-not-run"),
    case("", "secrets.Stripe-Key", "does not match ^[A-Za-z_][A-Za-z0-9_]*$",
         base=BASE.replace("secrets: [StripeAPIKey, SendGridToken]", "secrets: {Stripe-Key: {}}  # <-"),
         id="secret-name"),
    case("""
        servicez: {}  # <-
        """, "servicez", 'unknown field "servicez"; did you mean "services"?', id="unknown-top-level-field"),
    case("", "provider", '"azure" is not allowed; expected',
         base=BASE + "provider: azure  # <-\n", id="provider-choice"),
    case("", "state", '"my-bucket" is not a Pulumi backend URL: use one of file://…, s3://…',
         base=BASE + "state: my-bucket  # <-\n", id="state-backend"),
    case("", "secretStore", '"vault" is not allowed', base=BASE + "secretStore: vault  # <-\n", id="secret-store"),
    # --- caches ---------------------------------------------------------------------------------------
    case("""
        caches:
          sessions: {evictionPolicy: allkeys-lr}  # <-
        """, "caches.sessions.evictionPolicy", '"allkeys-lr" is not allowed; did you mean "allkeys-lru"?',
         id="eviction-policy"),
    case("""
        caches:
          sessions:
            keyspaces:
              per-user: {key: string, value: int, keyPattern: "requests/:id"}  # <-
        """, "caches.sessions.keyspaces.per-user.keyPattern", "a basic key's pattern uses :key (else every key is "
         "one Redis key)", id="basic-key-without-key"),
    case("""
        caches:
          sessions:
            keyspaces:
              per-user: {key: int, value: int, keyPattern: "requests/:key/:page"}  # <-
        """, "caches.sessions.keyspaces.per-user.keyPattern", "takes only :key, not :page",
         id="basic-key-other-parameter"),
    case("""
        caches:
          sessions:
            keyspaces:
              per-route:
                key: {UserID: string, Route: string}
                value: int
                keyPattern: "requests/:UserID"  # <-
        """, "caches.sessions.keyspaces.per-route.keyPattern",
         "struct field Route must appear exactly once in the pattern (found 0)",
         id="struct-key-field-missing"),
    case("""
        caches:
          sessions:
            keyspaces:
              per-route:
                key: {UserID: string}
                value: int
                keyPattern: "requests/:UserID/:UserID"  # <-
        """, "caches.sessions.keyspaces.per-route.keyPattern",
         "struct field UserID must appear exactly once in the pattern (found 2)",
         id="struct-key-field-twice"),
    case("""
        caches:
          sessions:
            keyspaces:
              per-route:
                key: {UserID: string}
                value: int
                keyPattern: "requests/:UserID/:Path"  # <-
        """, "caches.sessions.keyspaces.per-route.keyPattern",
         "pattern uses :Path, which the key struct does not have (fields: UserID)", id="struct-key-unknown-parameter"),
    case("""
        caches:
          sessions:
            keyspaces:
              per-user: {key: string, value: int, keyPattern: "requests-:key"}  # <-
        """, "caches.sessions.keyspaces.per-user.keyPattern",
         '"requests-:key": a parameter must be a whole segment between slashes', id="parameter-inside-segment"),
    case("""
        caches:
          sessions:
            keyspaces:
              by-name: {key: string, value: int, keyPattern: "user/:key"}
              admin: {key: string, value: int, keyPattern: "user/admin"}  # <-
        """, "caches.sessions.keyspaces.admin.keyPattern",
         'pattern "user/admin" can produce the same keys as keyspace "by-name" ("user/:key")',
         id="keyspaces-overlap-literal"),
    case("""
        caches:
          sessions:
            keyspaces:
              by-id: {key: int, value: int, keyPattern: "user/:key"}
              by-route:
                key: {UserID: string, Route: string}
                value: int
                keyPattern: "user/:UserID/:Route"
              by-name: {key: string, value: int, keyPattern: "user/:key"}  # <-
        """, "caches.sessions.keyspaces.by-name.keyPattern", 'can produce the same keys as keyspace "by-id"',
         id="keyspaces-overlap-int-and-string"),
    case("""
        caches:
          sessions:
            keyspaces:
              per-user: {key: float, value: int, keyPattern: "r/:key"}  # <-
        """, "caches.sessions.keyspaces.per-user.key", "is not allowed", id="key-type"),
    case("""
        caches:
          sessions:
            keyspaces:
              per-user: {key: string, value: int, keyPattern: "r/:key", defaultExpiry: 10x}  # <-
        """, "caches.sessions.keyspaces.per-user.defaultExpiry", "'10x' is not a duration", id="expiry-duration"),
    case("""
        caches:
          sessions:
            keyspaces:
              per-user:
                key: string
                value: int
                keyPattern: "r/:key"
                defaultExpiry: {dailyAt: "25:00"}  # <-
        """, "caches.sessions.keyspaces.per-user.defaultExpiry.dailyAt", '"25:00" does not match',
         id="expiry-daily-at"),
    case("""
        caches:
          sessions:
            aws: {replicas: 9}  # <-
        """, "caches.sessions.aws.replicas", "expected 5 or less, not 9", id="aws-knob-range"),
    case("""
        caches:
          sessions:
            gcp: {tier: PREMIUM}  # <-
        """, "caches.sessions.gcp.tier", '"PREMIUM" is not allowed', id="gcp-knob-choice"),
    # --- buckets --------------------------------------------------------------------------------------
    case("""
        buckets:
          reports:
            lifecycle:
              - {prefix: tmp/}  # <-
        """, "buckets.reports.lifecycle.0", "a lifecycle rule needs an action", id="lifecycle-without-action"),
    case("""
        buckets:
          reports:
            lifecycle:
              - {transitionAfterDays: 30}  # <-
        """, "buckets.reports.lifecycle.0", "transitionAfterDays and storageClass go together",
         id="lifecycle-transition-without-class"),
    case("""
        buckets:
          reports:
            lifecycle:
              - {transitionAfterDays: 30, storageClass: glacier}  # <-
        """, "buckets.reports.lifecycle.0.storageClass", '"glacier" is not allowed', id="lifecycle-storage-class"),
    case("""
        buckets:
          reports:
            lifecycle:
              - noncurrentExpireAfterDays: 30  # <-
        """, "buckets.reports.lifecycle.0.noncurrentExpireAfterDays", "versioned buckets only",
         id="noncurrent-on-unversioned"),
    case("""
        buckets:
          reports:
            cors:
              - {origins: ["*"], methods: [GET, PATCH]}  # <-
        """, "buckets.reports.cors.0.methods.1", '"PATCH" is not allowed', id="cors-method"),
    # --- topics and subscriptions -----------------------------------------------------------------------
    case("""
        topics:
          signups: {deliveryGuarantee: exactly-twice}  # <-
        """, "topics.signups.deliveryGuarantee", '"exactly-twice" is not allowed', id="delivery-guarantee"),
    case("""
        topics:
          signups:
            subscriptions:
              welcome: {service: wroker}  # <-
        """, "topics.signups.subscriptions.welcome.service", 'unknown service "wroker"; did you mean "worker"?',
         id="subscription-unknown-service"),
    case("""
        topics:
          signups:
            subscriptions:
              welcome: {service: worker, endpoint: /pubsub/welcome}  # <-
        """, "topics.signups.subscriptions.welcome.endpoint", 'a push subscription needs a url on service "worker"',
         id="push-without-url"),
    case("""
        topics:
          signups:
            subscriptions:
              welcome: {service: api, endpoint: pubsub/welcome}  # <-
        """, "topics.signups.subscriptions.welcome.endpoint", "does not match ^/", id="endpoint-path"),
    case("""
        topics:
          signups:
            subscriptions:
              welcome:
                service: api
                retryPolicy: {minBackoff: 5m, maxBackoff: 1m}  # <-
        """, "topics.signups.subscriptions.welcome.retryPolicy.minBackoff", "minBackoff is longer than maxBackoff",
         id="backoff-order"),
    case("""
        topics:
          signups:
            subscriptions:
              welcome:
                service: api
                ackDeadline: 13h  # <-
        """, "topics.signups.subscriptions.welcome.ackDeadline", "AWS (SQS) allows 0s to 12h", id="aws-ack-deadline"),
    case("""
        topics:
          signups:
            subscriptions:
              welcome: {service: api, ackDeadline: 11m}  # <-
        """ + ON_GCP, "topics.signups.subscriptions.welcome.ackDeadline", "GCP Pub/Sub allows 10s to 10m",
         id="gcp-ack-deadline"),
    case("""
        topics:
          signups:
            subscriptions:
              welcome: {service: api, messageRetention: 32d}  # <-
        """ + ON_GCP, "topics.signups.subscriptions.welcome.messageRetention", "GCP Pub/Sub allows 10m to 31d",
         id="gcp-retention"),
    case("""
        topics:
          signups:
            subscriptions:
              welcome:
                service: api
                retryPolicy: {maxRetries: 3}  # <-
        """ + ON_GCP, "topics.signups.subscriptions.welcome.retryPolicy.maxRetries",
         "GCP Pub/Sub allows 5 to 100 delivery attempts", id="gcp-max-retries"),
    case("""
        topics:
          signups:
            subscriptions:
              welcome:
                service: api
                retryPolicy: {maxBackoff: 20m}  # <-
        """ + ON_GCP, "topics.signups.subscriptions.welcome.retryPolicy.maxBackoff",
         "GCP Pub/Sub allows a backoff of at most 10m", id="gcp-max-backoff"),
    case("""
        topics:
          signups:
            subscriptions:
              welcome:
                service: api
                endpoint: /pubsub/welcome
                retryPolicy: {maxBackoff: 2h}  # <-
        """, "topics.signups.subscriptions.welcome.retryPolicy.maxBackoff",
         "AWS (SNS HTTPS) allows a backoff of at most 1h", id="aws-push-max-backoff"),
    case("""
        topics:
          orders:
            deliveryGuarantee: exactly-once
            subscriptions:
              fulfil: {service: api, endpoint: /pubsub/fulfil}  # <-
        """, "topics.orders.subscriptions.fulfil.endpoint", "SNS FIFO, which pushes only to SQS queues",
         id="aws-exactly-once-push"),
    case("""
        topics:
          orders:
            orderingAttribute: order_id
            subscriptions:
              fulfil: {service: api, endpoint: /pubsub/fulfil}  # <-
        """, "topics.orders.subscriptions.fulfil.endpoint", "make this a pull subscription", id="aws-ordered-push"),
    case("""
        topics:
          orders:
            deliveryGuarantee: exactly-once
            subscriptions:
              fulfil: {service: api, endpoint: /pubsub/fulfil}  # <-
        """ + ON_GCP, "topics.orders.subscriptions.fulfil.endpoint",
         "GCP Pub/Sub offers exactly-once delivery to pull subscriptions only",
         id="gcp-exactly-once-push"),
    case("""
        topics:
          signups:
            subscriptions:
              welcome:
                service: api
                endpoint: /pubsub/welcome
                retryPolicy: {maxRetries: 500}  # <-
        """, "topics.signups.subscriptions.welcome.retryPolicy.maxRetries", "AWS (SNS HTTPS) retries at most 100 times",
         id="aws-push-retries"),
    # --- cron ---------------------------------------------------------------------------------------------
    case("""
        cron:
          digest:
            every: 7h  # <-
            endpoint: {service: api, path: /cron/digest}
        """, "cron.digest.every", "every 7h does not divide 24h evenly into whole minutes (1m to 24h); try 6h or 8h",
         id="every-7h"),
    case("""
        cron:
          digest:
            every: 90s  # <-
            endpoint: {service: api, path: /cron/digest}
        """, "cron.digest.every", "try 1m or 2m", id="every-not-whole-minutes"),
    case("""
        cron:
          digest:
            every: 2d  # <-
            endpoint: {service: api, path: /cron/digest}
        """, "cron.digest.every", "(1m to 24h); try 1d", id="every-above-a-day"),
    case("""
        cron:
          digest:
            every: 25m  # <-
            endpoint: {service: api, path: /cron/digest}
        """, "cron.digest.every", "try 24m or 30m", id="every-25m"),
    case("""
        cron:
          digest:  # <-
            every: 1h
            schedule: "0 * * * *"
            endpoint: {service: api, path: /cron/digest}
        """, "cron.digest", "give exactly one of every or schedule", id="every-and-schedule"),
    case("""
        cron:
          digest:  # <-
            endpoint: {service: api, path: /cron/digest}
        """, "cron.digest", "give exactly one of every or schedule", id="neither-every-nor-schedule"),
    case("""
        cron:
          digest:
            schedule: "0 4 * *"  # <-
            endpoint: {service: api, path: /cron/digest}
        """, "cron.digest.schedule", 'schedule "0 4 * *" has 4 fields; a cron expression has 5', id="schedule-fields"),
    case("""
        cron:
          digest:
            schedule: "0 24 * * *"  # <-
            endpoint: {service: api, path: /cron/digest}
        """, "cron.digest.schedule", 'hour "24" is outside 0-23', id="schedule-range"),
    case("""
        cron:
          digest:
            schedule: "*/0 * * * *"  # <-
            endpoint: {service: api, path: /cron/digest}
        """, "cron.digest.schedule", "minute step must be at least 1", id="schedule-step"),
    case("""
        cron:
          digest:
            schedule: "0 4 1 * 1"  # <-
            endpoint: {service: api, path: /cron/digest}
        """, "cron.digest.schedule", "AWS (EventBridge) cannot restrict both day-of-month and day-of-week",
         id="aws-schedule-both-days"),
    case("""
        cron:
          digest:
            schedule: "0 4 * * funday"  # <-
            endpoint: {service: api, path: /cron/digest}
        """, "cron.digest.schedule", 'day-of-week "funday" is outside 0-7', id="schedule-name"),
    case("""
        cron:
          digest:
            every: 1h
            endpoint: {service: apj, path: /cron/digest}  # <-
        """, "cron.digest.endpoint.service", 'unknown service "apj"; did you mean "api"?', id="cron-unknown-service"),
    case("""
        cron:
          digest:
            every: 1h
            endpoint: {service: worker, path: /cron/digest}  # <-
        """, "cron.digest.endpoint.service", 'service "worker" has no url to call', id="cron-service-without-url"),
    case("""
        cron:
          digest:
            every: 1h
            endpoint: "http://api.example.com/cron"  # <-
        """, "cron.digest.endpoint", 'does not match ^https://', id="cron-plain-http"),
    # --- services -----------------------------------------------------------------------------------------
    case("""
        buckets: {slack: {}}
        services:
          api:
            uses:
              buckets: {slak: [download]}  # <-
        """, "services.api.uses.buckets.slak", 'unknown bucket "slak"; did you mean "slack"?',
         base=BASE.split("services:")[0], id="unknown-bucket"),
    case("""
        buckets: {slack: {}}
        services:
          api:
            uses:
              buckets: {slack: [downlaod]}  # <-
        """, "services.api.uses.buckets.slack.0", '"downlaod" is not allowed; did you mean "download"?',
         base=BASE.split("services:")[0], id="unknown-permission"),
    case("""
        buckets: {private: {}}
        services:
          api:
            uses:
              buckets: {private: [public-url]}  # <-
        """, "services.api.uses.buckets.private", 'public-url needs a public bucket ("private" is private)',
         base=BASE.split("services:")[0], id="public-url-on-private"),
    case("""
        topics: {signups: {}}
        services:
          api:
            uses:
              topics: {signup: [publish]}  # <-
        """, "services.api.uses.topics.signup", 'unknown topic "signup"; did you mean "signups"?',
         base=BASE.split("services:")[0], id="unknown-topic"),
    case("""
        topics: {signups: {}}
        services:
          api:
            uses:
              topics: {signups: [subscribe]}  # <-
        """, "services.api.uses.topics.signups.0", '"subscribe" is not allowed', base=BASE.split("services:")[0],
         id="unknown-topic-permission"),
    case("""
        caches: {sessions: {}}
        services:
          api:
            uses:
              caches: [session]  # <-
        """, "services.api.uses.caches.0", 'unknown cache "session"; did you mean "sessions"?',
         base=BASE.split("services:")[0], id="unknown-cache"),
    case("""
        services:
          api:
            uses:
              secrets: [StripeApiKey]  # <-
        """, "services.api.uses.secrets.0", 'unknown secret "StripeApiKey"; did you mean "StripeAPIKey"?',
         base=BASE.split("services:")[0], id="unknown-secret"),
    case("""
        services:
          api:
            usse: {}  # <-
        """, "services.api.usse", 'unknown field "usse"; did you mean "uses"?', base=BASE.split("services:")[0],
         id="unknown-service-field"),
    case("""
        services:
          api: {url: "ftp://api.example.com"}  # <-
        """, "services.api.url", "does not match ^https?://", base=BASE.split("services:")[0], id="service-url"),
    case("", "secrets", "a list of secrets holds names only",
         base=BASE.replace("secrets: [StripeAPIKey, SendGridToken]", "secrets: [StripeAPIKey, {a: 1}]  # <-"),
         id="secrets-list-of-names"),
    # --- provider settings ---------------------------------------------------------------------------------
    case("", "aws.region", "required: an environment targets aws (e.g. region: us-east-1)",
         base=BASE.replace("aws: {region: eu-west-1}", "aws: {tags: {team: shop}}  # <-"), id="aws-region"),
    case(ON_GCP, "gcp.project", "required: an environment targets gcp (e.g. project: my-project-id)",
         base=BASE.replace("gcp: {project: shop-1234, region: europe-west1}", "gcp: {region: europe-west1}  # <-"),
         id="gcp-project"),
    case("", "secretStore", "secrets kept in AWS need aws.region",
         base=BASE.replace("aws: {region: eu-west-1}", "provider: gcp\nsecretStore: aws  # <-"), id="aws-secret-store"),
    case("", "secretStore", "secrets kept in GCP need gcp.project",
         base=BASE.replace("gcp: {project: shop-1234, region: europe-west1}", "secretStore: gcp  # <-"),
         id="gcp-secret-store"),
    case("""
        caches:
          my--sessions: {}  # <-
        """, "caches.my--sessions",
         'ElastiCache refuses names with two hyphens in a row, as in "shop-ENV-my--sessions"',
         id="elasticache-double-hyphen"),
    # --- environments and overrides ---------------------------------------------------------------------------
    case("""
        environments: {}  # <-
        """, "environments", "declares no environment", id="no-environment"),
    case("""
        envTypes:  # <-
          dev: {overrides: {}}
          development: {overrides: {}}
        """, "envTypes", "dev, development: an alias and its type name the same type", id="type-and-its-alias"),
    case("""
        environments:
          prod:
            type: prod
            overrides:
              provider: gcp  # <-
        """, "environments.prod.overrides.provider", "an environment's provider is set beside its type",
         id="provider-in-overrides"),
    case("""
        envTypes:
          development:
            overrides:
              app: shop-dev  # <-
        """, "envTypes.development.overrides.app", "the app name is the same in every environment",
         id="app-in-type-overrides"),
    case("""
        environments:
          prod: {type: staging}  # <-
        """, "environments.prod.type", '"staging" is not allowed; expected', id="environment-type"),
    case("""
        environments:
          prod: {type: prod, provider: azure}  # <-
        """, "environments.prod.provider", '"azure" is not allowed', id="environment-provider"),
    case("""
        caches: {sessions: {}}
        environments:
          dev: {type: dev}
          prod:
            type: prod
            overrides:
              caches:
                sessions: {aws: {replicas: many}}  # <-
        """, "environments.prod.overrides.caches.sessions.aws.replicas", "expected a whole number, not \"many\"",
         id="environment-override-located"),
    case("""
        caches: {sessions: {}}
        envTypes:
          dev:
            overrides:
              caches:
                sessions: {evictionPolicy: lru}  # <-
        """, "envTypes.dev.overrides.caches.sessions.evictionPolicy", '"lru" is not allowed',
         id="type-override-located"),
    case("""
        envTypes:
          preview:
            overrides:
              topics:
                signups: {subscriptions: {welcome: {service: nobody}}}  # <-
        """, "envTypes.preview.overrides.topics.signups.subscriptions.welcome.service", 'unknown service "nobody"',
         id="preview-override-checked-without-preview-environment"),
    case("""
        environments:
          prod:
            type: prod
            overrides:
              cachez: {}  # <-
        """, "environments.prod.overrides.cachez", 'unknown field "cachez"; did you mean "caches"?',
         id="override-unknown-field"),
    # --- reading YAML ------------------------------------------------------------------------------------------
    case("""
        buckets:
          uploads: {versioned: true
        topics: {}  # <-
        """, "", "invalid YAML", id="yaml-syntax"),
    case("""
        buckets:
          uploads: {}
          uploads: {}  # <-
        """, "buckets.uploads", "duplicate key", id="yaml-duplicate-key"),
    case("""
        buckets:
          defaults: &defaults {versioned: true}
          uploads:
            <<: *defaults  # <-
        """, "buckets.uploads", "YAML merge keys (<<) are not supported", id="yaml-merge-key"),
    case("""
        buckets:
          uploads: !private {}  # <-
        """, "buckets.uploads", "invalid YAML: a custom tag (!…) is not supported here", id="yaml-collection-tag"),
    case("""
        buckets:
          uploads: {versioned: !yes true}  # <-
        """, "buckets.uploads.versioned", "invalid YAML: a custom tag (!…) is not supported here",
        id="yaml-scalar-tag"),
    case("""
        buckets: &loop
          uploads: *loop  # <-
        """, "buckets.uploads", "a YAML alias refers to its own anchor", id="yaml-recursive-alias"),
]


@pytest.mark.parametrize("text, path, message", CASES)
def test_an_invalid_spec_is_reported_with_message_path_and_line(tmp_path, text, path, message):
    problems = problems_of(tmp_path, text)
    at_path = [p for p in problems if p.path == path]
    assert at_path, f"no problem at {path!r}; got:\n" + "\n".join(map(str, problems))
    matching = [p for p in at_path if message in p.message]
    assert matching, f"no {message!r} at {path}; got:\n" + "\n".join(map(str, at_path))
    assert matching[0].line == marked_line(text), str(matching[0])
    assert matching[0].file.endswith("infra.yaml")


def test_every_problem_of_a_spec_is_reported_in_one_run(tmp_path):
    text = BASE + textwrap.dedent("""\
        cron:
          digest: {every: 7h, endpoint: {service: apj, path: /cron/digest}}
        topics:
          signups:
            subscriptions:
              welcome: {service: wroker}
        buckets:
          Bad_Name: {}
        """)
    paths = {p.path for p in problems_of(tmp_path, text)}
    assert paths == {"cron.digest.every", "cron.digest.endpoint.service",
                     "topics.signups.subscriptions.welcome.service", "buckets.Bad_Name"}


def test_an_unknown_provider_stops_the_rules_that_depend_on_it(tmp_path):
    text = BASE + "provider: azure\ntopics: {signups: {subscriptions: {welcome: {service: api}}}}\n"
    assert [p.path for p in problems_of(tmp_path, text)] == ["provider"]


def test_rules_that_read_a_refused_section_are_not_run(tmp_path):
    # `caches.C` is refused, so `uses: caches: [C]` is not reported as an unknown cache as well
    text = BASE.replace('api: {url: "https://api.example.com"}',
                        'api: {url: "https://api.example.com", uses: {caches: [C]}}') + "caches: {C: {}}\n"
    assert [p.path for p in problems_of(tmp_path, text)] == ["caches.C"]


VALID_EDGES = [
    pytest.param("""
        caches:
          sessions:
            keyspaces:
              by-id: {key: int, value: int, keyPattern: "user/:key"}
              latest: {key: string, value: int, keyPattern: "user/latest/:key"}
              flag: {key: bool, value: int, keyPattern: "flag/:key"}
              count: {key: int, value: int, keyPattern: "flag/count/:key"}
        """, id="keyspaces-that-cannot-collide"),
    # Encore's parser takes a basic key's :key more than once: each parameter segment of a basic key must be
    # named `key`, none is counted (encoredev/encore v2/parser/infra/caches/keyspace.go, "keyIsBuiltin && name
    # != \"key\"", commit 4e92b791cdf8b5b152042c543e363d5152151d7f)
    pytest.param("""
        caches:
          sessions:
            keyspaces:
              listed: {key: string, value: list, keyPattern: "list/:key/foo/:key"}
        """, id="basic-key-more-than-once-as-encore-takes-it"),
    # Encore.ts names a topic `site.added` (encoredev/examples ts/uptime/site/site.ts); its parser takes any
    # string as a topic's, subscription's, cache's and cron job's name, checking only that each is unique
    # (encoredev/encore tsparser/src/app/mod.rs validate_pubsub, validate_crons, validate_caches, commit
    # 2b626e8c70c5ff9cbc24611ef424d6d2520eb0bb)
    pytest.param("""
        caches:
          rate.limits: {}
        topics:
          site.added:
            subscriptions:
              check.site: {service: api}
        cron:
          check.all: {every: 1h, endpoint: "https://x.example.com/a"}
        """ + ON_GCP, id="encore-names-with-dots"),
    pytest.param("""
        cron:
          job-a: {every: 1m, endpoint: "https://x.example.com/a"}
          job-b: {every: 1h30m, endpoint: "https://x.example.com/b"}
          job-c: {every: 24h, endpoint: "https://x.example.com/c"}
          job-d: {schedule: "*/15 9-17 * jan-jun mon-fri", endpoint: "https://x.example.com/d"}
        """, id="cron-every-and-schedules"),
    pytest.param("""
        topics:
          orders:
            deliveryGuarantee: exactly-once
            orderingAttribute: order_id
            subscriptions:
              fulfil: {service: api}
        """ + ON_GCP, id="exactly-once-pull-on-both-providers"),
]


@pytest.mark.parametrize("addition", VALID_EDGES)
def test_edge_cases_that_are_valid(tmp_path, addition):
    assert problems_of(tmp_path, BASE + textwrap.dedent(addition).lstrip("\n")) == []


def test_a_deployment_s_url_is_its_services_and_a_wrong_one_is_said_once(tmp_path):
    text = BASE + "deployments:\n  main: {services: [worker], url: \"ftp://x\"}\n"
    assert {p.path for p in problems_of(tmp_path, text)} == {"deployments.main.url"}
    (tmp_path / "infra.yaml").write_text(
        BASE + "deployments:\n  main: {services: [api, worker], url: \"https://m.example.com\"}\n")
    services = resolve(load_spec(tmp_path / "infra.yaml"), "prod").spec.services
    urls = {name: service.url for name, service in services.items()}
    assert urls == {"api": "https://api.example.com", "worker": "https://m.example.com"}  # api keeps its own
