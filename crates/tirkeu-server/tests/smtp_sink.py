#!/usr/bin/env python3
"""A small SMTP server for tests/mail_smtp.rs, on 127.0.0.1 and a port the system picks.

Prints the port on the first line of stdout, then serves until stdin is closed (the test
holds the pipe; when the test ends, the server goes too).

Modes:
  accept         accept every message
  tempfail-first answer the first DATA with 451, then accept
  reject         answer every DATA with 550

Each accepted message is saved in --dir as NNN.eml (the bytes received) and NNN.json: the
envelope and the message as Python's own e-mail parser reads it (subject decoded, headers,
and each MIME part with its type, charset and decoded text), so the test checks the
message with a parser that is not ours.

`smtp_sink.py --parse FILE` prints that JSON for a message file (a mail-drop .eml) and exits.
"""

import argparse
import asyncio
import email
import email.policy
import json
import os
import sys


def describe(raw: bytes) -> dict:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    parts = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        parts.append(
            {
                "content_type": part.get_content_type(),
                "charset": part.get_content_charset(),
                "transfer_encoding": part.get("Content-Transfer-Encoding"),
                "text": part.get_content(),
            }
        )
    return {
        "subject": str(msg["Subject"]),
        "content_type": msg.get_content_type(),
        "headers": {k.lower(): str(v) for k, v in msg.items()},
        "parts": parts,
    }


class Handler:
    def __init__(self, mode: str, out: str):
        self.mode = mode
        self.out = out
        self.data_commands = 0

    async def handle_DATA(self, server, session, envelope):
        self.data_commands += 1
        if self.mode == "reject":
            return "550 5.7.1 Message refused by the test sink"
        if self.mode == "tempfail-first" and self.data_commands == 1:
            return "451 4.3.0 Try again later, says the test sink"
        n = len([f for f in os.listdir(self.out) if f.endswith(".eml")]) + 1
        raw = envelope.original_content
        summary = describe(raw)
        summary["mail_from"] = envelope.mail_from
        summary["rcpt_tos"] = envelope.rcpt_tos
        base = os.path.join(self.out, f"{n:03}")
        with open(base + ".json.tmp", "w", encoding="utf-8") as f:
            json.dump(summary, f, ensure_ascii=False)
        with open(base + ".eml", "wb") as f:
            f.write(raw)
        # The JSON last and by rename: the test waits for it.
        os.rename(base + ".json.tmp", base + ".json")
        return "250 2.0.0 Saved"


async def main(args) -> None:
    loop = asyncio.get_running_loop()
    from aiosmtpd.smtp import SMTP

    handler = Handler(args.mode, args.dir)
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="sink.test", ident="tirkeu test sink"),
        "127.0.0.1",
        0,
    )
    print(server.sockets[0].getsockname()[1], flush=True)
    await loop.run_in_executor(None, sys.stdin.read)
    server.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=["accept", "tempfail-first", "reject"])
    parser.add_argument("--dir", default=".")
    parser.add_argument("--parse")
    args = parser.parse_args()
    if args.parse:
        with open(args.parse, "rb") as f:
            print(json.dumps(describe(f.read()), ensure_ascii=False))
    else:
        asyncio.run(main(args))
