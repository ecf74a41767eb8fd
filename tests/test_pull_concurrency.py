"""`maxConcurrency` of a pull subscription: no cloud limits the messages a client pulls (SQS and Pub/Sub
pull have no such setting), so it reaches the client through the service's outputs, on both clouds (and
under `deployer dev`: tests/local/test_dev_aws.py) (issue 23, point 17; GCP refuses it on a push
subscription: tests/providers/gcp/test_limits.py)."""

import pytest
from support.plans import PlanView

from deployer.plan.document import build_plan
from deployer.speclang.load import load_spec, resolve

SPEC = """\
app: shop
provider: {provider}
aws: {{region: eu-west-1}}
gcp: {{project: shop-test-1, region: europe-west1}}
services: {{worker: {{}}, archive: {{}}}}
topics:
  orders:
    subscriptions:
      fulfil: {{service: worker, maxConcurrency: 4}}
      audit: {{service: archive}}
"""


# https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html and
# https://cloud.google.com/pubsub/docs/pull: the client asks for messages; how many it handles at once is
# its own setting (Encore's subscription config sets it in code, its infra config has no such field).
@pytest.mark.parametrize("provider", ["aws", "gcp"])
def test_a_pull_subscriptions_max_concurrency_reaches_its_client_through_the_outputs(spec_file, provider):
    env = resolve(load_spec(spec_file(SPEC.format(provider=provider))), "prod")
    services = PlanView(build_plan(env)).services
    assert services["worker"]["subscriptions"]["orders"]["fulfil"]["maxConcurrency"] == 4
    assert "maxConcurrency" not in services["archive"]["subscriptions"]["orders"]["audit"]
