"""Physical names are unique across the environments of a spec on one cloud (one account or project):
`validate` refuses a name two environments would both give, located in one, naming the other."""

# https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html: bucket names are unique
# across all accounts of a partition, so two environments (stacks) cannot both create one.
SPEC = """
app: shop
provider: aws
aws: {region: eu-west-1}
environments:
  dev:
    type: development
    overrides: {buckets: {eu-uploads: {}}}
  dev-eu:
    type: development
    overrides: {buckets: {uploads: {}}}
"""


def test_two_environments_giving_one_bucket_name_are_refused_with_both_paths(deployer, spec_file):
    spec = spec_file(SPEC)
    result = deployer("--spec", str(spec), "validate")
    assert result.exit_code != 0
    assert result.stderr == (
        f"{spec}:10: environments.dev-eu.overrides.buckets.uploads: its bucket \"shop-dev-eu-uploads-ACCOUNTHASH\" "
        "in environment \"dev-eu\" is also the bucket of environments.dev.overrides.buckets.eu-uploads in "
        "environment \"dev\": rename one of them\n")


def test_a_bucket_name_pinned_for_every_environment_is_refused(deployer, spec_file):
    spec = spec_file("app: shop\naws: {region: eu-west-1}\nenvironments: {prod: {type: production}, dev: {type: dev}}\n"
                     "buckets: {avatars: {name: acme-avatars}}\n")
    result = deployer("--spec", str(spec), "validate")
    assert (f"{spec}:4: buckets.avatars.name: its bucket \"acme-avatars\" in environment \"dev\" is also the bucket of "
            "buckets.avatars.name in environment \"prod\": rename one of them (pin a bucket's name per environment, "
            "in its overrides)") in result.stderr


def test_bucket_names_pinned_per_environment_are_valid(deployer, spec_file):
    spec = spec_file("""
        app: shop
        aws: {region: eu-west-1}
        environments:
          prod: {type: production, overrides: {buckets: {avatars: {name: acme-avatars}}}}
          dev: {type: dev, overrides: {buckets: {avatars: {name: acme-avatars-dev}}}}
        buckets: {avatars: {}}
        """)
    result = deployer("--spec", str(spec), "validate")
    assert result.exit_code == 0, result.stderr
