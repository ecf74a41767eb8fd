"""A value that is not UTF-8 text is refused when it is set, not stored to fail later (issue 15,
point 10), and the refusal does not show it."""

from deployer.errors import EXIT_USAGE


def test_a_value_that_is_not_utf8_is_refused_without_being_shown(project, deployer):
    result = deployer("secret", "set", "--type", "dev", "StripeAPIKey", stdin=b"sk_live_\xff\xfe\x80secret\n")
    assert result.exit_code == EXIT_USAGE
    assert "the value given for StripeAPIKey is not UTF-8 text" in result.stderr
    assert "sk_live" not in result.stdout + result.stderr and "secret\n" not in result.stderr
    assert not (project / "infra.secrets.yaml").exists()


def test_utf8_text_beyond_ascii_is_kept(project, set_secret, env_of):
    from deployer.secrets.resolution import resolve_secret_values

    for name in ("StripeAPIKey", "SendGridToken", "CRMToken"):
        set_secret("pässwörd-✓", "--type", "dev", name)
    assert resolve_secret_values(env_of("dev"))["StripeAPIKey"] == "pässwörd-✓"
