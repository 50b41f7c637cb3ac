"""The pure visitor helpers and signed targets: no database, no cache."""

from cchc.stats import targets, visitors
from cchc.stats.models import Device

from .conftest import BROWSER_UA, PHONE_UA

SALT = b"s" * 32


def test_visitor_helpers_need_no_database():
    # no django_db mark: any query here would fail the test
    assert visitors.is_bot("") and visitors.is_bot("Googlebot/2.1 (+http://www.google.com/bot)")
    assert not visitors.is_bot(BROWSER_UA)
    assert visitors.device_type(PHONE_UA) == Device.MOBILE
    assert visitors.device_type(BROWSER_UA) == Device.DESKTOP
    assert visitors.referrer_host("https://www.zalo.me/a?b=c") == "zalo.me"
    assert visitors.referrer_source("zalo.me") == "zalo.me"
    assert visitors.referrer_source("spam-example.top") == visitors.OTHER_REFERRER


def test_a_visitor_is_a_keyed_hash_of_address_and_user_agent():
    one = visitors.visitor_digest(SALT, "203.0.113.7", BROWSER_UA)
    assert one == visitors.visitor_digest(SALT, "203.0.113.7", BROWSER_UA)
    assert one != visitors.visitor_digest(SALT, "203.0.113.8", BROWSER_UA)
    assert one != visitors.visitor_digest(b"t" * 32, "203.0.113.7", BROWSER_UA)
    assert "203.0.113.7" not in one and len(one) == 32
    assert visitors.address_digest(SALT, "203.0.113.7") != one


def test_a_target_token_reads_back_and_a_forged_one_does_not():
    target = targets.Target(5, 50, 51)
    token = targets.target_token(target)
    assert targets.target_from_token(token) == target
    assert targets.target_from_token(token.replace("51", "52", 1)) is None
    assert targets.target_from_token("x" * (targets.MAX_TOKEN_LENGTH + 1)) is None
