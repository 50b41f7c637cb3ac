"""The bot filter on public data: the crawler list's own examples and current browsers.

No database: the filter is a pure function, cached per distinct user agent.
"""

from pathlib import Path

import crawleruseragents

from cchc.stats import visitors

BROWSERS = [
    line.strip()
    for line in (Path(__file__).parent / "data" / "browser_user_agents.txt")
    .read_text()
    .splitlines()
    if line.strip() and not line.startswith("#")
]
# The crawler-user-agents project's examples: each pattern lists the user
# agents it was written for (over 2,000 strings from about 1,500 bots).
CRAWLERS = [
    ua for entry in crawleruseragents.CRAWLER_USER_AGENTS_DATA for ua in entry.get("instances", [])
]


def rate(user_agents):
    return sum(visitors.is_bot(ua) for ua in user_agents) / len(user_agents)


def test_it_excludes_at_least_99_percent_of_the_crawler_lists_examples():
    assert len(CRAWLERS) > 2000
    excluded = rate(CRAWLERS)
    print(f"crawlers excluded: {excluded:.2%} of {len(CRAWLERS)}")
    assert excluded >= 0.99


def test_it_wrongly_excludes_at_most_half_a_percent_of_current_browsers():
    assert len(BROWSERS) >= 60
    wrong = [ua for ua in BROWSERS if visitors.is_bot(ua)]
    print(f"browsers wrongly excluded: {len(wrong) / len(BROWSERS):.2%} of {len(BROWSERS)}")
    assert len(wrong) / len(BROWSERS) <= 0.005, wrong


def test_the_browser_set_covers_the_browsers_vietnamese_readers_use():
    for marker in (
        "Chrome/",
        "Edg/",
        "Firefox/",
        "iPhone",
        "Macintosh",
        "SamsungBrowser",
        "coc_coc_browser",
        "Zalo",
    ):
        assert any(marker in ua for ua in BROWSERS), marker


def test_scripts_tools_and_headless_browsers_are_bots():
    for ua in (
        "",
        "   ",
        "curl/8.5.0",
        "python-requests/2.32.3",
        "Go-http-client/1.1",
        "Wget/1.21.4",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "HeadlessChrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36 (compatible; "
        "coccocbot-web/1.0; +http://help.coccoc.com/searchengine)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Zalo-Link-Preview",
    ):
        assert visitors.is_bot(ua), ua


def test_each_distinct_user_agent_is_classified_once():
    ua = BROWSERS[0] + " cache-test"
    visitors.is_bot(ua)
    before = visitors._is_bot.cache_info()
    for _ in range(10):
        assert not visitors.is_bot(ua)
    after = visitors._is_bot.cache_info()
    assert after.hits - before.hits == 10 and after.misses == before.misses
