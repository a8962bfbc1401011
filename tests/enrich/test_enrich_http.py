"""Settings from the environment, rate limiting on a fake clock, retries, and the one error type."""

from __future__ import annotations

import email.utils
import socket
import time

import pytest
from werkzeug import Response

from enrich_fakes import FakeClock, fixture_answer
from readinglist.enrich import (ArxivClient, Clients, RateLimiter, RetryPolicy, ServiceError,
                                Settings)
from readinglist.enrich.transport import Transport

pytest_plugins = ["enrich_fakes"]  # its fixtures: clients, clock, services

# ------------------------------------------------------------------ settings


def test_defaults_are_the_public_endpoints():
    settings = Settings.from_env({})
    assert settings.arxiv_api == "https://export.arxiv.org/api/query"
    assert settings.openalex_api == "https://api.openalex.org"
    assert settings.hf_api == "https://huggingface.co/api"
    assert settings.contact_email is None and settings.openalex_api_key is None


def test_base_urls_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("READINGLIST_ARXIV_API", "http://127.0.0.1:9/arxiv/api/query")
    monkeypatch.setenv("READINGLIST_OPENALEX_API", "http://127.0.0.1:9/openalex/")
    monkeypatch.setenv("READINGLIST_HF_API", "http://127.0.0.1:9/hf/api")
    monkeypatch.setenv("READINGLIST_CONTACT_EMAIL", "me@example.org")
    settings = Settings.from_env()
    assert settings.arxiv_api == "http://127.0.0.1:9/arxiv/api/query"
    assert settings.openalex_api == "http://127.0.0.1:9/openalex"      # trailing slash dropped
    assert settings.hf_api == "http://127.0.0.1:9/hf/api"
    assert settings.contact_email == "me@example.org"


@pytest.mark.parametrize("arxiv, hf", [
    ("http://127.0.0.1:9", "http://127.0.0.1:9"),                    # a mirror's root
    ("http://127.0.0.1:9/api", "http://127.0.0.1:9/api/"),           # the documented base URLs
    ("http://127.0.0.1:9/api/query", "http://127.0.0.1:9/api"),      # the endpoints themselves
])
def test_a_servers_root_or_its_api_url_mean_the_same_endpoints(arxiv, hf):
    settings = Settings.from_env({"READINGLIST_ARXIV_API": arxiv, "READINGLIST_HF_API": hf,
                                  "READINGLIST_OPENALEX_API": "http://127.0.0.1:9"})
    assert (settings.arxiv_api, settings.hf_api, settings.openalex_api) == (
        "http://127.0.0.1:9/api/query", "http://127.0.0.1:9/api", "http://127.0.0.1:9")


def test_a_base_url_that_is_not_a_url_is_one_clear_error():
    with pytest.raises(ServiceError) as err:
        Settings.from_env({"READINGLIST_OPENALEX_API": "api.openalex.org"})
    assert "READINGLIST_OPENALEX_API" in str(err.value) and "\n" not in str(err.value)


def test_clients_built_from_the_environment_ask_those_servers(services, clock):
    clients = Clients.from_settings(Settings.from_env(services.env()), clock)
    try:
        clients.arxiv.search_title("Scaling Laws for Neural Language Models")
        clients.openalex.search_title("Scaling Laws for Neural Language Models")
        clients.hf.search_title("Scaling Laws for Neural Language Models")
    finally:
        clients.close()
    assert [c.service for c in services.calls] == ["arxiv", "openalex", "hf"]
    assert services.calls_to("openalex")[0].args["mailto"] == "tests@readinglist.invalid"
    assert services.calls_to("arxiv")[0].args["search_query"] == 'ti:"scaling laws for neural language models"'


# ------------------------------------------------------------------ rate limiting


def test_rate_limiter_spaces_request_starts_on_the_clock():
    clock = FakeClock()
    limiter = RateLimiter(3.0, clock)
    limiter.wait()
    clock.now += 1.0
    limiter.wait()
    assert clock.sleeps == [pytest.approx(2.0)]
    clock.now += 5.0
    limiter.wait()
    assert clock.sleeps == [pytest.approx(2.0)]     # already long enough ago: no wait


def test_arxiv_requests_are_three_seconds_apart_without_real_sleeping(services, clients, clock):
    started = time.monotonic()
    for title in ("Scaling Laws for Neural Language Models", "Q8BERT: Quantized 8Bit BERT",
                  "0.1% Data Makes Segment Anything Slim", "Attention Is All You Need"):
        clients.arxiv.search_title(title)
    times = [c.at for c in services.calls_to("arxiv")]
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert len(gaps) == 3 and all(g >= 3.0 for g in gaps)
    assert time.monotonic() - started < 3.0           # the fake clock did the waiting


def test_openalex_allows_ten_requests_a_second(services, clients):
    for _ in range(3):
        clients.openalex.search_title("Scaling Laws for Neural Language Models")
    times = [c.at for c in services.calls_to("openalex")]
    assert [round(b - a, 3) for a, b in zip(times, times[1:])] == [0.1, 0.1]


# ------------------------------------------------------------------ retries


def test_429_is_retried_after_the_seconds_retry_after_asks(services, clients, clock, httpserver):
    httpserver.expect_oneshot_request("/arxiv/api/query").respond_with_response(
        Response("Too Many Requests", status=429, headers={"Retry-After": "7"}))
    found = clients.arxiv.search_title("Scaling Laws for Neural Language Models")
    assert found[1].arxiv_id == "2001.08361"
    assert 7.0 in clock.sleeps
    assert len(services.calls_to("arxiv")) == 1        # the first try was the 429 (not logged by the fake)


def test_retry_after_as_an_http_date(services, clients, clock, httpserver):
    when = email.utils.formatdate(clock.time() + 20, usegmt=True)
    httpserver.expect_oneshot_request("/hf/api/papers/search").respond_with_response(
        Response("slow down", status=429, headers={"Retry-After": when}))
    clients.hf.search_title("Scaling Laws for Neural Language Models")
    assert any(19.0 <= s <= 21.0 for s in clock.sleeps)


def test_503_after_all_tries_is_one_clear_error(httpserver, clock):
    httpserver.expect_request("/down").respond_with_response(Response("busy", status=503))
    transport = Transport("arxiv", "READINGLIST_ARXIV_API", RateLimiter(3.0, clock), clock,
                          timeout=5, policy=RetryPolicy(attempts=3, backoff=3.0))
    with pytest.raises(ServiceError) as err:
        transport.get(httpserver.url_for("/down"), {})
    message = str(err.value)
    assert message == ("arXiv API: no answer after 3 tries (HTTP 503) (the service is slow or having "
                       "trouble: try again later; answers so far are cached)")
    assert len(httpserver.log) == 3
    assert clock.sleeps == [pytest.approx(3.0), pytest.approx(6.0)]    # backoff doubles


def test_a_wait_longer_than_the_policy_allows_stops_at_once(httpserver, clock):
    httpserver.expect_request("/limited").respond_with_response(
        Response('{"error": "Rate limit exceeded"}', status=429, headers={"Retry-After": "86400"}))
    transport = Transport("openalex", "READINGLIST_OPENALEX_API", RateLimiter(0.1, clock), clock)
    with pytest.raises(ServiceError) as err:
        transport.get(httpserver.url_for("/limited"), {})
    assert "asks to wait 86400 s" in str(err.value) and "run again later" in str(err.value)
    assert len(httpserver.log) == 1


def test_a_timeout_is_one_clear_error(httpserver, clock):
    def slow(request):
        time.sleep(0.6)
        return Response("late")
    httpserver.expect_request("/slow").respond_with_handler(slow)
    transport = Transport("hf", "READINGLIST_HF_API", RateLimiter(0.2, clock), clock,
                          timeout=0.2, policy=RetryPolicy(attempts=2))
    with pytest.raises(ServiceError) as err:
        transport.get(httpserver.url_for("/slow"), {})
    assert str(err.value).startswith("Hugging Face Papers: no answer after 2 tries (timed out after 0.2 s)")
    deadline = time.monotonic() + 5       # let the one-threaded server finish, so no test sees these
    while len(httpserver.log) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)


def test_no_server_is_one_clear_error(clock):
    with socket.socket() as sock:       # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    transport = Transport("arxiv", "READINGLIST_ARXIV_API", RateLimiter(3.0, clock), clock,
                          timeout=2, policy=RetryPolicy(attempts=2))
    with pytest.raises(ServiceError) as err:
        transport.get(f"http://127.0.0.1:{port}/api/query", {})
    assert f"could not connect to 127.0.0.1:{port}" in str(err.value)
    assert "READINGLIST_ARXIV_API" in str(err.value)


def test_a_refusal_is_not_retried(httpserver, clock):
    httpserver.expect_request("/works").respond_with_json(
        {"error": "Invalid query parameters error.", "message": "title.search is not a valid filter"}, status=400)
    transport = Transport("openalex", "READINGLIST_OPENALEX_API", RateLimiter(0.1, clock), clock)
    with pytest.raises(ServiceError) as err:
        transport.get(httpserver.url_for("/works"), {})
    assert "refused the request (HTTP 400: title.search is not a valid filter)" in str(err.value)
    assert [r.path for r, _ in httpserver.log] == ["/works"]


# ------------------------------------------------------------------ malformed answers


@pytest.mark.parametrize("service, path, fixture, expected", [
    ("arxiv", "/arxiv/api/query", "arxiv/malformed.xml", "arXiv API: answered with malformed XML: not well-formed"),
    ("openalex", "/openalex/works", "openalex/malformed.json", "OpenAlex: answered with malformed JSON: not JSON"),
    ("hf", "/hf/api/papers/search", "hf/malformed.json", "Hugging Face Papers: answered with malformed JSON: not JSON"),
])
def test_malformed_answers_are_one_clear_error(services, clients, httpserver, service, path, fixture, expected):
    body, content_type = fixture_answer(fixture)
    httpserver.expect_oneshot_request(path).respond_with_data(body, content_type=content_type)
    with pytest.raises(ServiceError) as err:
        getattr(clients, service).search_title("LoRA: Low-Rank Adaptation of Large Language Models")
    assert str(err.value).startswith(expected)
    assert "\n" not in str(err.value)


def test_an_arxiv_error_feed_shows_arxivs_message(services, clients, httpserver):
    body, content_type = fixture_answer("arxiv/error_feed.xml")
    httpserver.expect_oneshot_request("/arxiv/api/query").respond_with_data(body, status=400, content_type=content_type)
    with pytest.raises(ServiceError) as err:
        clients.arxiv.search_title("LoRA")
    assert "rejected the query: max_results must be >= 0" in str(err.value)


def test_hf_lookup_of_an_unindexed_paper_is_none_not_an_error(services, clients):
    assert clients.hf.paper("2106.09685") is None
    assert clients.hf.paper("hep-ex/0307015") is None          # never indexed by HF: not even asked
    assert [c.query for c in services.calls_to("hf", "paper")] == ["2106.09685"]


def test_arxiv_client_sends_the_contact_address(services, clock):
    client = ArxivClient.from_settings(services.settings(), clock)
    client.search_title("LoRA")
    request, _ = services.server.log[-1]
    assert "mailto:tests@readinglist.invalid" in request.headers["User-Agent"]
