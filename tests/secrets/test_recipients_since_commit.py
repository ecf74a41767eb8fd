"""Issue 24, point 16: `secret set` names the recipients added since the store's last commit: a
contributor's key that came in with a commit (even with a forged record of who added it), and one added
but not committed yet. The owner learns who else will read the value before it is sent to them."""

import subprocess

import yaml
from pyrage import x25519


def git(project, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=project, check=True, capture_output=True, text=True).stdout.strip()


def test_recipients_added_since_the_last_commit_are_named_on_set(project, age_key, set_secret, deployer):
    git(project, "init", "-q")
    git(project, "config", "user.email", "owner@example.com")
    git(project, "config", "user.name", "Owner")
    owner = age_key()
    set_secret("v1", "--env", "prod", "StripeAPIKey")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "the store")
    assert "since" not in set_secret("v2", "--env", "prod", "StripeAPIKey").stderr

    store = project / "infra.secrets.yaml"
    contributor = str(x25519.Identity.generate().to_public())
    owner_key = str(owner.to_public())
    document = yaml.safe_load(store.read_text())
    document["recipients"].append(contributor)
    document["addedBy"][contributor] = owner_key  # a record that looks like the owner's
    store.write_text(yaml.safe_dump(document, sort_keys=False))
    git(project, "commit", "-qam", "add a key", "--author", "Contributor <c@example.com>")
    commit = git(project, "rev-parse", "--short", "HEAD")

    result = set_secret("v3", "--env", "prod", "StripeAPIKey")
    assert (f"note: {contributor} became a recipient of infra.secrets.yaml in commit {commit} (Contributor): "
            "the value is encrypted to it too") in result.stderr

    colleague = str(x25519.Identity.generate().to_public())
    assert deployer("secret", "recipients", "add", colleague).exit_code == 0
    result = set_secret("v4", "--env", "prod", "StripeAPIKey")
    assert (f"note: {colleague} became a recipient of infra.secrets.yaml since its last commit (not committed): "
            "the value is encrypted to it too") in result.stderr
    assert owner_key not in result.stderr


def test_a_store_outside_git_says_nothing_of_commits(project, age_key, set_secret):
    age_key()
    assert "note:" not in set_secret("v1", "--env", "prod", "StripeAPIKey").stderr
