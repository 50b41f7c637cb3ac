"""The embedded widget in a real browser, on another site's page: nothing is cut off."""

import html
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cchc.news.models import Topic

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

# five long titles, as units write them: the box is at its tallest
LONG = (
    "Xã tổ chức hội nghị triển khai kế hoạch cải cách hành chính năm 2026 và đối thoại "
    "với người dân, doanh nghiệp về giải quyết thủ tục hành chính, lần {}"
)


@pytest.fixture
def five_articles(cast, publish):
    for i in range(1, 6):
        publish(cast.unit_a, LONG.format(i), topic=Topic.ACTIVITIES, days_ago=i)


@pytest.fixture
def host_site():
    """Another site (its own origin, on this machine) serving one page; set its body."""
    page = {"body": ""}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server API
            content = (
                '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
                "<title>Trang của xã</title></head><body>"
                f'<main style="max-width:1000px"><h1>Trang của xã</h1>{page["body"]}'
                '<p id="after">Chân trang của xã</p></main></body></html>'
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def serve(body: str) -> str:
        page["body"] = body
        return f"http://127.0.0.1:{server.server_port}/"

    yield serve
    server.shutdown()
    server.server_close()


def _widget_frame(page):
    return next(f for f in page.frames if f.url.endswith("/cchc/nhung/"))


def _assert_counter_fully_shown(page):
    iframe = page.locator("iframe").bounding_box()
    counter = page.frame_locator("iframe").locator(".visit-counter")
    counter.wait_for()
    box = counter.bounding_box()
    assert box["y"] >= iframe["y"]
    assert box["y"] + box["height"] <= iframe["y"] + iframe["height"], (box, iframe)
    assert counter.get_by_text("Tổng lượt truy cập").is_visible()


@pytest.mark.parametrize("height", [460, 600])
def test_the_widget_sizes_itself_to_show_the_whole_visit_counter(
    cast, five_articles, live_server, host_site, page, screenshot, height
):
    page.set_viewport_size({"width": 1280, "height": 1600})
    script = f"{live_server.url}/don-vi/{cast.unit_a.slug}/cchc/nhung.js"
    page.goto(host_site(f'<script src="{script}" data-height="{height}"></script>'))
    page.frame_locator("iframe").locator(".visit-counter").wait_for()
    frame = _widget_frame(page)
    frame.wait_for_load_state("load")
    content = frame.evaluate("Math.ceil(document.body.getBoundingClientRect().height)")
    assert content > 600  # the documented heights were too small for this box
    page.wait_for_function(
        f"() => Math.abs(document.querySelector('iframe').clientHeight - {content}) <= 1"
    )
    _assert_counter_fully_shown(page)
    assert frame.evaluate("document.documentElement.scrollHeight <= window.innerHeight")
    screenshot(page, f"widget-counter-{height}px")

    # only the widget's own frame may size it: the host page (or another frame) cannot
    page.evaluate("window.postMessage({type: 'cchc-widget-height', height: 40}, '*')")
    page.wait_for_timeout(200)
    assert page.locator("iframe").evaluate("f => f.clientHeight") == pytest.approx(content, abs=1)


def test_without_javascript_the_embed_codes_fallback_frame_is_tall_enough(
    cast, five_articles, live_server, host_site, browser, screenshot
):
    context = browser.new_context(java_script_enabled=False, locale="vi-VN")
    page = context.new_page()
    try:
        page.set_viewport_size({"width": 1280, "height": 1600})
        section = page.request.get(f"{live_server.url}/don-vi/{cast.unit_a.slug}/cchc/").text()
        code = html.unescape(re.search(r'id="ma-nhung"[^>]*>(.*?)</textarea>', section, re.S)[1])
        assert "<noscript><iframe" in code
        page.goto(host_site(code))
        _assert_counter_fully_shown(page)
        screenshot(page, "widget-counter-noscript")
    finally:
        context.close()
