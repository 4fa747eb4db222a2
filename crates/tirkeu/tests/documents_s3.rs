//! `tirkeu serve` and `tirkeu worker` with the documents in an S3-compatible store, as an
//! operator meets them: settings that do not fit together, a bucket that is not there, a key
//! the server refuses and an endpoint that does not answer each stop the start with a message
//! naming the setting and the reason (exit 1, no secret shown); good settings start the server.
//! The store is moto's, started on 127.0.0.1 (`TIRKEU_TEST_S3_PYTHON`); the settings checked
//! before any request run without it.

#[path = "../../tirkeu-server/tests/common/s3.rs"]
#[allow(dead_code)]
mod s3;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use s3::S3Server;

const BUCKET: &str = "tirkeu-documents";

/// `tirkeu ARGS` in `dir` with `envs`, its data in `dir/data`.
fn tirkeu(dir: &Path, envs: &[(&str, &str)], args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tirkeu"))
        .current_dir(dir)
        .env("TIRKEU_DATA_DIR", dir.join("data"))
        .env("TIRKEU_WORKER_ENABLED", "false")
        .envs(envs.iter().copied())
        .args(args)
        .output()
        .expect("run tirkeu")
}

fn serve(dir: &Path, envs: &[(&str, &str)]) -> Output {
    tirkeu(dir, envs, &["serve", "--listen", "127.0.0.1:0"])
}

/// Exit 1, and stderr holds each of `expected` and none of `hidden`.
fn refused(out: &Output, expected: &[&str], hidden: &[&str]) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for e in expected {
        assert!(err.contains(e), "{e:?} not in: {err}");
    }
    for h in hidden {
        assert!(!err.contains(h), "{h:?} shown: {err}");
    }
}

#[test]
fn settings_that_do_not_fit_are_refused_before_any_request() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    refused(
        &serve(d, &[("TIRKEU_DOCUMENTS_URL", "s3://Tirkeu_Documents/x")]),
        &["documents.url (TIRKEU_DOCUMENTS_URL)", "not a bucket name"],
        &[],
    );
    refused(
        &serve(d, &[("TIRKEU_DOCUMENTS_URL", "gs://tirkeu-documents")]),
        &["documents.url (TIRKEU_DOCUMENTS_URL)", "gs://"],
        &[],
    );
    refused(
        &serve(d, &[("TIRKEU_S3_ENDPOINT", "https://s3.example.kz")]),
        &[
            "documents.endpoint (TIRKEU_S3_ENDPOINT) is set",
            "not an s3:// URL",
        ],
        &[],
    );
    refused(
        &serve(
            d,
            &[
                ("TIRKEU_DOCUMENTS_URL", "s3://tirkeu-documents"),
                ("TIRKEU_S3_ENDPOINT", "http://127.0.0.1:9"),
            ],
        ),
        &["TIRKEU_S3_ENDPOINT", "plain HTTP", "TIRKEU_S3_ALLOW_HTTP"],
        &[],
    );
    refused(
        &serve(
            d,
            &[
                ("TIRKEU_DOCUMENTS_URL", "s3://tirkeu-documents"),
                ("TIRKEU_S3_SECRET_ACCESS_KEY", "only-the-secret-1234"),
            ],
        ),
        &["TIRKEU_S3_ACCESS_KEY_ID", "give both"],
        &["only-the-secret-1234"],
    );
    refused(
        &serve(d, &[("TIRKEU_S3_ALLOW_HTTP", "perhaps")]),
        &["TIRKEU_S3_ALLOW_HTTP", "not true or false"],
        &[],
    );

    // An endpoint nobody answers at: named, within seconds.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let endpoint = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    refused(
        &serve(
            d,
            &[
                ("TIRKEU_DOCUMENTS_URL", "s3://tirkeu-documents/almaty"),
                ("TIRKEU_S3_ENDPOINT", &endpoint),
                ("TIRKEU_S3_ALLOW_HTTP", "true"),
                ("TIRKEU_S3_ACCESS_KEY_ID", "AKIAEXAMPLE"),
                ("TIRKEU_S3_SECRET_ACCESS_KEY", "secret-that-stays-hidden"),
            ],
        ),
        &["documents.endpoint (TIRKEU_S3_ENDPOINT)", &endpoint],
        &["secret-that-stays-hidden"],
    );
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[test]
#[cfg_attr(
    not(tirkeu_s3),
    ignore = "S3 server not configured: pip install 'moto[server]' and set TIRKEU_TEST_S3_PYTHON=python3"
)]
fn serve_and_worker_check_the_bucket_and_the_key_at_start() {
    let server = S3Server::start(&[BUCKET]);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let endpoint = server.endpoint();
    let with = |bucket: &str, key: &str, secret: &str| -> Vec<(String, String)> {
        [
            ("TIRKEU_DOCUMENTS_URL", format!("s3://{bucket}/almaty")),
            ("TIRKEU_S3_ENDPOINT", endpoint.clone()),
            ("TIRKEU_S3_ALLOW_HTTP", "true".into()),
            ("TIRKEU_S3_REGION", "us-east-1".into()),
            ("TIRKEU_S3_ACCESS_KEY_ID", key.into()),
            ("TIRKEU_S3_SECRET_ACCESS_KEY", secret.into()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
    };
    let run = |envs: &[(String, String)], args: &[&str]| {
        let envs: Vec<(&str, &str)> = envs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        tirkeu(d, &envs, args)
    };
    let (key, secret) = (
        server.access_key_id.as_str(),
        server.secret_access_key.as_str(),
    );

    refused(
        &run(
            &with("no-such-bucket", key, secret),
            &["serve", "--listen", "127.0.0.1:0"],
        ),
        &[
            "documents.url (TIRKEU_DOCUMENTS_URL)",
            "the bucket `no-such-bucket` does not exist",
        ],
        &[secret],
    );
    refused(
        &run(
            &with(BUCKET, key, "the-wrong-secret-access-key"),
            &["serve", "--listen", "127.0.0.1:0"],
        ),
        &["TIRKEU_S3_SECRET_ACCESS_KEY", "refused"],
        &["the-wrong-secret-access-key", secret],
    );
    // The worker deletes purged documents: it checks the store too.
    refused(
        &run(
            &with(BUCKET, "AKIANOBODYKNOWS00000", secret),
            &["worker", "run-once"],
        ),
        &["TIRKEU_S3_ACCESS_KEY_ID", "refused"],
        &[secret],
    );

    // `config show` names the store and hides the secret.
    let good = with(BUCKET, key, secret);
    let out = run(&good, &["config", "show"]);
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(shown.contains(&format!("s3://{BUCKET}/almaty")), "{shown}");
    assert!(!shown.contains(secret), "{shown}");

    // Good settings: the worker passes, the server starts and says where the documents are.
    let out = run(&good, &["worker", "run-once"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tirkeu"));
    cmd.current_dir(d)
        .env("TIRKEU_DATA_DIR", d.join("data"))
        .env("TIRKEU_WORKER_ENABLED", "false")
        .envs(good.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = cmd.spawn().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let documents = lines
        .by_ref()
        .map_while(Result::ok)
        .find(|l| l.trim_start().starts_with("documents"));
    child.kill().ok();
    child.wait().ok();
    let documents = documents.expect("serve printed where the documents are");
    assert!(
        documents.contains(&format!("s3://{BUCKET}/almaty at {endpoint}")),
        "{documents}"
    );
    assert!(
        !d.join("data/documents").exists(),
        "no local documents directory"
    );
}
