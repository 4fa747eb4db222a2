#!/usr/bin/env python3
"""An S3-compatible server for the tests: moto's (PyPI `moto[server]`), on 127.0.0.1 and a port
the system picks, checking every request's signature against the access keys it knows.

Sets up an IAM user allowed everything, with one access key, and the buckets named by
--bucket (created with that key). Prints one JSON line on stdout,
{"port": N, "access_key_id": "...", "secret_access_key": "..."}, then serves until stdin is
closed (the test holds the pipe; when the test ends, the server goes too).
"""

import argparse
import json
import logging
import os
import sys

# moto checks signatures only with this set; the first three requests (the IAM user, its
# policy, its key) may come without one. Read when moto is imported.
os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = "3"

from urllib.parse import quote, unquote  # noqa: E402

import boto3  # noqa: E402  (moto[server] brings it)
from moto.iam import access_control  # noqa: E402
from moto.server import ThreadedMotoServer  # noqa: E402

# moto's server hands its signature check the query string decoded (`prefix=a/` where the
# client sent and signed `prefix=a%2F`), so every signed request whose query holds a `/` (a
# listing under a prefix) fails with SignatureDoesNotMatch, from boto3 as from object_store.
# Encode it again as SigV4's canonical form does (every byte but A-Z a-z 0-9 - _ . ~) before the
# check; the check itself is moto's, with the secret key.
_init = access_control.IAMRequestBase.__init__


def _canonical(path: str) -> str:
    base, _, query = path.partition("?")
    if not query:
        return path
    pairs = []
    for pair in query.split("&"):
        k, _, v = pair.partition("=")
        pairs.append(quote(unquote(k), safe="-_.~") + "=" + quote(unquote(v), safe="-_.~"))
    return base + "?" + "&".join(pairs)


def _init_with_encoded_query(self, *args, **kwargs):
    _init(self, *args, **kwargs)
    self._path = _canonical(self._path)


access_control.IAMRequestBase.__init__ = _init_with_encoded_query

ALLOW_ALL = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
    }
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bucket", action="append", default=[])
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    _, port = server.get_host_and_port()
    endpoint = f"http://127.0.0.1:{port}"
    region = "us-east-1"

    iam = boto3.client(
        "iam",
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id="setup",
        aws_secret_access_key="setup",
    )
    iam.create_user(UserName="tirkeu")
    iam.put_user_policy(UserName="tirkeu", PolicyName="all", PolicyDocument=ALLOW_ALL)
    key = iam.create_access_key(UserName="tirkeu")["AccessKey"]

    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id=key["AccessKeyId"],
        aws_secret_access_key=key["SecretAccessKey"],
    )
    for bucket in args.bucket:
        s3.create_bucket(Bucket=bucket)

    print(
        json.dumps(
            {
                "port": port,
                "access_key_id": key["AccessKeyId"],
                "secret_access_key": key["SecretAccessKey"],
            }
        ),
        flush=True,
    )
    sys.stdin.read()
    server.stop()


if __name__ == "__main__":
    main()
