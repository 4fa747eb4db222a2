//! An S3-compatible server for the tests: moto's (the Python package `moto[server]`), started by
//! `tests/s3_server.py` with the python in `TIRKEU_TEST_S3_PYTHON` on 127.0.0.1 and a port the
//! system picks, checking every request's signature; stopped when dropped.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use tirkeu_server::upload::S3Location;

/// A running S3 server, with the one access key it accepts.
pub struct S3Server {
    child: Child,
    pub port: u16,
    pub access_key_id: String,
    pub secret_access_key: String,
}

impl S3Server {
    /// Starts a server holding the (empty) `buckets`.
    pub fn start(buckets: &[&str]) -> S3Server {
        let python = std::env::var("TIRKEU_TEST_S3_PYTHON")
            .ok()
            .filter(|p| !p.is_empty())
            .expect("TIRKEU_TEST_S3_PYTHON: a python3 with moto[server]");
        let script =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../tirkeu-server/tests/s3_server.py");
        let mut cmd = Command::new(python);
        cmd.arg(script);
        for b in buckets {
            cmd.args(["--bucket", b]);
        }
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the S3 server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let started: serde_json::Value = serde_json::from_str(&line).unwrap_or_else(|_| {
            panic!(
                "the S3 server printed {line:?}, not its port and key: is moto[server] installed?"
            )
        });
        let text = |k: &str| started[k].as_str().unwrap().to_owned();
        S3Server {
            port: u16::try_from(started["port"].as_u64().unwrap()).unwrap(),
            access_key_id: text("access_key_id"),
            secret_access_key: text("secret_access_key"),
            child,
        }
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// `bucket` (with `prefix`) on this server, with its key.
    pub fn location(&self, bucket: &str, prefix: &str) -> S3Location {
        S3Location {
            bucket: bucket.into(),
            prefix: prefix.into(),
            endpoint: Some(self.endpoint()),
            region: Some("us-east-1".into()),
            access_key_id: Some(self.access_key_id.clone()),
            secret_access_key: Some(self.secret_access_key.clone()),
            allow_http: true,
        }
    }

    /// Stops the server now (a test of what an unreachable store does).
    pub fn stop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        self.stop();
    }
}
