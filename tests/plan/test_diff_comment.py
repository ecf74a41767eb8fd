"""The pull-request comment of a change to the shop's production, rendered as GitHub renders a comment
(CommonMark with GitHub's tables, by markdown-it-py) and read as a reviewer reads it."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from deployer.providers.aws.mocks import ACCOUNT
from deployer.speclang.naming import owner_suffix

SHOP = Path(__file__).resolve().parents[2] / "examples/shop-yaml/infra.yaml"
# GitHub's comment column in a 1000-pixel window, in characters of its code font: a code block holds
# about 560 pixels (a 624-pixel comment less the body's and the block's padding), and GitHub's monospace
# at 85% of 14 px is 7.14 pixels a character (measured with github-markdown-css in headless Chromium).
COMMENT_COLUMNS = 78
NEW_ARN = "arn:aws:s3:::shop-prod-exports-<account-hash>/*"

CHANGE = [
    # a node type: an in-place change
    ("          aws: {replicas: 2}", "          aws: {replicas: 2, nodeType: cache.r7g.xlarge}"),
    # a subscription removed: its queues are protected in production
    ("      crm-sync:\n        service: crm\n        ackDeadline: 60s\n", ""),
    # FIFO to standard: the topic is replaced
    ("    deliveryGuarantee: exactly-once\n    orderingAttribute: order_id\n", ""),
    # a new bucket, and a service given it: a policy change
    ("  invoices:\n    versioned: true", "  exports: {}\n  invoices:\n    versioned: true"),
    ("      secrets: [CRMToken]", "      secrets: [CRMToken]\n      buckets: {exports: [download]}"),
]


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.email=dev@example.com", "-c", "user.name=dev", *args], cwd=repo, check=True,
                   capture_output=True)


@pytest.fixture(scope="module")
def comment(deployer, tmp_path_factory) -> str:
    repo = tmp_path_factory.mktemp("shop")
    shutil.copy(SHOP, repo / "infra.yaml")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "infra.yaml")
    git(repo, "commit", "-qm", "base")
    text = (repo / "infra.yaml").read_text()
    for old, new in CHANGE:
        assert old in text
        text = text.replace(old, new)
    (repo / "infra.yaml").write_text(text)
    run = deployer("--spec", str(repo), "diff", "--env", "prod", "--base", "main", "--format", "markdown")
    assert run.exit_code == 0, run.stderr
    return run.stdout


def rendered(markdown: str) -> tuple[str, list]:
    renderer = MarkdownIt("commonmark").enable("table")  # GitHub's comments: CommonMark and tables
    return renderer.render(markdown), renderer.parse(markdown)


def test_the_risks_come_before_any_detail(comment):
    html, _ = rendered(comment)
    risks = [html.index(text) for text in (
        "queue <code>signups.crm-sync</code> is deleted: its undelivered messages are lost; it is protected, "
        "so <code>up</code> will refuse",
        "topic <code>orders</code> is replaced (forced by <code>fifoTopic</code>, <code>name</code>): "
        "undelivered messages are lost")]
    assert max(risks) < html.index("<li>bucket <code>exports</code>: new (5 resources)</li>") < html.index("<pre>")


def test_the_node_type_change_is_visible_without_scrolling_and_nothing_is_wider_than_the_column(comment):
    html, tokens = rendered(comment)
    assert "<table" not in html
    shown_before_the_fold = html[:html.index("<details>")]
    assert "<li>cache <code>sessions</code>: nodeType <code>cache.r7g.large</code> → " \
           "<code>cache.r7g.xlarge</code></li>" in shown_before_the_fold
    blocks = [token.content.splitlines() for token in tokens if token.type == "fence"]
    assert blocks and all(token.info == "diff" for token in tokens if token.type == "fence")
    cache = next(block for block in blocks if "cache.r7g" in "".join(block))
    assert cache == ["!   aws:elasticache:ReplicationGroup sessions",
                     '-     nodeType: "cache.r7g.large"', '+     nodeType: "cache.r7g.xlarge"']
    # only a value that is longer by itself may reach past the column (it is shown whole)
    wide = [line for block in blocks for line in block if len(line) > COMMENT_COLUMNS]
    assert all(len(re.sub(r'"[^"]*"', '""', line)) < COMMENT_COLUMNS // 2 for line in wide), wide


def test_the_changed_policy_shows_the_new_arn_whole_as_a_line_of_its_statement(comment):
    _, tokens = rendered(comment)
    crm = next(token.content for token in tokens if token.type == "fence" and "RolePolicy crm" in token.content)
    assert f'+               "{NEW_ARN}"' in crm.splitlines()
    assert '+               "s3:GetObject"' in crm.splitlines()


def test_no_value_the_mock_account_made_up_is_shown(comment):
    assert ACCOUNT not in comment and owner_suffix(ACCOUNT) not in comment
    assert "<account>" in comment  # where an ARN holds the account, it says so
