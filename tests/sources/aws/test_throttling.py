"""Throttling that outlasts botocore's retries, from a real HTTP server.

EC2 is pointed (AWS_ENDPOINT_URL_EC2) at a loopback server that answers every
request with EC2's `RequestLimitExceeded`; every other service is moto.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cloudviz.config import Settings
from cloudviz.sources.live import ExtractRequest, extract_inventory

THROTTLED = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>'
    b"<Code>RequestLimitExceeded</Code><Message>Request limit exceeded."
    b"</Message></Error></Errors><RequestID>c0ffee</RequestID></Response>"
)


class AlwaysThrottled(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen = 0

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        type(self).seen += 1
        self.send_response(503)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(THROTTLED)))
        self.end_headers()
        self.wfile.write(THROTTLED)

    def log_message(self, *args):
        return None


@pytest.fixture
def throttled_ec2(aws_env, estate, monkeypatch):
    server = ThreadingHTTPServer(("127.0.0.1", 0), AlwaysThrottled)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("AWS_ENDPOINT_URL_EC2", f"http://127.0.0.1:{server.server_port}")
    AlwaysThrottled.seen = 0
    yield AlwaysThrottled
    server.shutdown()
    server.server_close()


@pytest.mark.slow  # the adaptive rate limiter really slows down
def test_throttling_out_of_retries_is_recorded_and_the_rest_is_read(throttled_ec2):
    settings = Settings.model_validate({"providers": {"aws": {"max_attempts": 2}}})
    inventory = extract_inventory(
        ExtractRequest("aws", regions=("eu-west-1",)), settings
    )
    ec2_errors = [e for e in inventory.errors if e.scope.endswith("/ec2")]
    assert ec2_errors
    for error in ec2_errors:
        assert error.code == "CV004"
        assert "RequestLimitExceeded" in error.message
        assert "still throttled after the retries" in error.message
    # Every EC2 operation was tried twice (max_attempts), then given up.
    calls = inventory.source_detail["api_calls_by_operation"]
    ec2_calls = sum(n for op, n in calls.items() if op.startswith("ec2."))
    assert throttled_ec2.seen == 2 * ec2_calls, (throttled_ec2.seen, calls)
    types = {resource.type for resource in inventory.resources}
    assert "AWS::RDS::DBInstance" in types
    assert not any(t.startswith("AWS::EC2::") for t in types)
