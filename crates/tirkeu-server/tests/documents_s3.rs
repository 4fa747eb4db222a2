//! Documents in an S3-compatible object store: the document store itself against a real S3
//! server (moto's, started on 127.0.0.1 by each test and checking every signature), and the
//! whole server on both backends with its documents there: uploaded by an applicant, read by
//! an officer, deleted by the retention purge, and `/readyz` failing once the store is gone.
//!
//! Needs `TIRKEU_TEST_S3_PYTHON` (a python3 with `moto[server]`); without it these tests are
//! ignored, saying so.
#![allow(clippy::too_many_lines)] // story-style tests read top to bottom

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::s3::S3Server;
use common::{NOW, Server, ok_json, submitted};
use futures_util::TryStreamExt as _;
use jiff::{SignedDuration, Timestamp};
use object_store::aws::AmazonS3Builder;
use object_store::path::Path as StorePath;
use object_store::{ObjectStore, ObjectStoreExt as _, PutPayload};
use reqwest::StatusCode;
use serde_json::json;
use sha2::{Digest, Sha256};
use tirkeu_core::number::CaseNumber;
use tirkeu_server::upload::{DocumentStore, DocumentsAt, S3Location, Sanitized, Unusable};
use tirkeu_server::worker::WorkerConfig;
use tirkeu_store::{Store, with_store};

const BUCKET: &str = "tirkeu-documents";

fn doc(bytes: &[u8]) -> Sanitized {
    Sanitized {
        bytes: bytes.to_vec(),
        content_type: "application/pdf",
        sha256: hex::encode(Sha256::digest(bytes)),
    }
}

/// The bucket as it is, without the document store in between (no prefix).
fn raw(s3: &S3Location) -> Arc<dyn ObjectStore> {
    Arc::new(
        AmazonS3Builder::new()
            .with_bucket_name(&s3.bucket)
            .with_endpoint(s3.endpoint.clone().unwrap())
            .with_region("us-east-1")
            .with_access_key_id(s3.access_key_id.clone().unwrap())
            .with_secret_access_key(s3.secret_access_key.clone().unwrap())
            .with_allow_http(true)
            .build()
            .unwrap(),
    )
}

/// Every key in the bucket.
async fn keys(raw: &Arc<dyn ObjectStore>) -> Vec<String> {
    let mut keys: Vec<String> = raw
        .list(None)
        .map_ok(|m| m.location.to_string())
        .try_collect()
        .await
        .unwrap();
    keys.sort();
    keys
}

fn key(prefix: &str, sha256: &str) -> String {
    format!("{prefix}/sha256/{}/{}", &sha256[..2], &sha256[2..])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[cfg_attr(
    not(tirkeu_s3),
    ignore = "S3 server not configured: pip install 'moto[server]' and set TIRKEU_TEST_S3_PYTHON=python3"
)]
async fn the_document_store_on_s3_puts_reads_and_deletes_and_never_overwrites() {
    let server = S3Server::start(&[BUCKET]);
    let at = server.location(BUCKET, "office/almaty");
    let store = DocumentStore::open_at(&DocumentsAt::S3(at.clone())).unwrap();
    let raw = raw(&at);
    store.check().await.unwrap();
    assert_eq!(
        store.describe(),
        format!("s3://{BUCKET}/office/almaty at {}", server.endpoint())
    );

    // Put and read back, under the prefix.
    let a = doc(b"%PDF-1.7 a passport scan");
    store.put(&a).await.unwrap();
    assert_eq!(&store.get(&a.sha256).await.unwrap()[..], &a.bytes[..]);
    assert_eq!(
        keys(&raw).await,
        vec![key("office/almaty", &a.sha256)],
        "one object, under the prefix, named by its hash"
    );
    // An upper-case hash names the same document.
    assert_eq!(
        &store.get(&a.sha256.to_uppercase()).await.unwrap()[..],
        &a.bytes[..]
    );

    // The same content again is no error and changes nothing.
    let before = raw
        .head(&StorePath::from(key("office/almaty", &a.sha256)))
        .await
        .unwrap();
    store.put(&a).await.unwrap();
    let after = raw
        .head(&StorePath::from(key("office/almaty", &a.sha256)))
        .await
        .unwrap();
    assert_eq!(before.e_tag, after.e_tag);
    assert_eq!(
        before.last_modified, after.last_modified,
        "not written again"
    );

    // Concurrent uploads of one new document all succeed (one creates it; the others find
    // it, or are told by the server that it already exists), leaving one object.
    let b = doc(b"%PDF-1.7 an employment contract");
    let store = Arc::new(store);
    let puts: Vec<_> = (0..8)
        .map(|_| {
            let (store, b) = (store.clone(), b.clone());
            tokio::spawn(async move { store.put(&b).await })
        })
        .collect();
    for p in puts {
        p.await.unwrap().unwrap();
    }
    assert_eq!(&store.get(&b.sha256).await.unwrap()[..], &b.bytes[..]);
    assert_eq!(keys(&raw).await.len(), 2);

    // Something else under a document's name (damage) is reported, never overwritten.
    let c = doc(b"%PDF-1.7 a rental agreement");
    let c_key = StorePath::from(key("office/almaty", &c.sha256));
    raw.put(&c_key, PutPayload::from_static(b"damaged"))
        .await
        .unwrap();
    let e = store.put(&c).await.unwrap_err();
    assert!(e.to_string().contains("already holds 7 bytes"), "{e}");
    assert_eq!(
        &raw.get(&c_key).await.unwrap().bytes().await.unwrap()[..],
        b"damaged"
    );

    // A hash whose bytes differ is refused before anything is sent.
    let mut lying = doc(b"%PDF-1.7 one thing");
    lying.bytes = b"%PDF-1.7 another".to_vec();
    assert!(store.put(&lying).await.is_err());
    assert_eq!(keys(&raw).await.len(), 3);

    // Missing: not found; anything but a hash is not found either, and never a key.
    let missing = hex::encode(Sha256::digest(b"never stored"));
    assert!(matches!(
        store.get(&missing).await,
        Err(object_store::Error::NotFound { .. })
    ));
    for bad in ["../../etc/passwd", "", &"g".repeat(64)] {
        assert!(matches!(
            store.get(bad).await,
            Err(object_store::Error::NotFound { .. })
        ));
    }

    // Delete (retention), twice: the second is no error.
    store.delete(&a.sha256).await.unwrap();
    assert!(matches!(
        store.get(&a.sha256).await,
        Err(object_store::Error::NotFound { .. })
    ));
    store.delete(&a.sha256).await.unwrap();
    assert!(!keys(&raw).await.contains(&key("office/almaty", &a.sha256)));
    assert_eq!(&store.get(&b.sha256).await.unwrap()[..], &b.bytes[..]);

    // Without a prefix the keys start at the bucket's root.
    let root = DocumentStore::s3(&server.location(BUCKET, "")).unwrap();
    root.put(&a).await.unwrap();
    assert!(
        keys(&raw)
            .await
            .contains(&format!("sha256/{}/{}", &a.sha256[..2], &a.sha256[2..]))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[cfg_attr(
    not(tirkeu_s3),
    ignore = "S3 server not configured: pip install 'moto[server]' and set TIRKEU_TEST_S3_PYTHON=python3"
)]
async fn a_store_that_cannot_be_used_says_why() {
    let mut server = S3Server::start(&[BUCKET]);
    let unusable = |at: S3Location| async move {
        DocumentStore::s3(&at)
            .unwrap()
            .check()
            .await
            .expect_err("the check fails")
    };

    let e = unusable(server.location("no-such-bucket", "")).await;
    assert!(
        matches!(&e, Unusable::NoBucket(b) if b == "no-such-bucket"),
        "{e:?}"
    );

    let mut wrong = server.location(BUCKET, "");
    wrong.secret_access_key = Some("not-the-secret".into());
    let e = unusable(wrong).await;
    assert!(matches!(e, Unusable::Refused(_)), "{e:?}");
    assert!(!e.to_string().contains("not-the-secret"), "{e}");

    let mut unknown = server.location(BUCKET, "");
    unknown.access_key_id = Some("AKIANOBODYKNOWS00000".into());
    let e = unusable(unknown).await;
    assert!(matches!(e, Unusable::Refused(_)), "{e:?}");

    // A store that does not answer is reported within seconds, not after minutes of retries.
    let at = server.location(BUCKET, "");
    server.stop();
    let started = Instant::now();
    let e = unusable(at).await;
    assert!(matches!(e, Unusable::Failed(_)), "{e:?}");
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
}

/// The server with its documents in the bucket: an application with every document, read by
/// an officer; nothing in the local directory; withdrawn and, after the retention period,
/// purged by the worker, which deletes the objects; `/readyz` fails once the store is gone.
async fn documents_on_s3_story(s: Server, mut server: S3Server) {
    let at = server.location(BUCKET, "documents");
    let raw = raw(&at);
    let r = s.get("/readyz", None).await;
    assert_eq!(r.status(), StatusCode::OK);

    let (number, code) = submitted(&s, "S3000001").await;
    let stored = keys(&raw).await;
    assert!(!stored.is_empty());
    assert!(stored.iter().all(|k| k.starts_with("documents/sha256/")));
    assert!(
        !s.dir.path().join("documents").join("sha256").exists(),
        "nothing in the local directory"
    );

    // An officer reads each document back: the very bytes whose hash the row records.
    let case = ok_json(
        s.get(&format!("/api/v1/cases/{number}"), Some(&s.officer))
            .await,
        StatusCode::OK,
    )
    .await;
    let docs = case["documents"].as_array().unwrap();
    assert!(docs.len() >= 2, "{case}");
    let id = with_store!(&s.store, st => st.application_by_number(&CaseNumber::parse(&number).unwrap()).await.unwrap().id);
    let rows = with_store!(&s.store, st => st.documents(id).await.unwrap());
    for d in docs {
        let doc_id = d["document_id"].as_i64().unwrap();
        let r = s
            .get(
                &format!("/api/v1/cases/{number}/documents/{doc_id}"),
                Some(&s.officer),
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        let bytes = r.bytes().await.unwrap();
        let row = rows.iter().find(|r| r.id == doc_id).unwrap();
        assert_eq!(hex::encode(Sha256::digest(&bytes)), row.sha256);
        assert!(stored.contains(&key("documents", &row.sha256)));
    }

    // Withdrawn, then purged after the retention period: the objects go with the rows.
    ok_json(
        s.post(
            &format!("/api/v1/applications/{number}/withdraw"),
            Some(&code),
            &json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let retention = SignedDuration::from_hours(24 * 1825);
    let at_end: Timestamp = NOW.parse::<Timestamp>().unwrap() + retention;
    let drop = tirkeu_server::mail::AnyTransport::from_config(
        &tirkeu_server::mail::MailConfig::default(),
        s.dir.path(),
    )
    .unwrap();
    let report = with_store!(&s.store, st => common::worker(&s, st.clone(), drop, WorkerConfig::new(&s.base)).run_once(at_end).await.unwrap());
    assert_eq!(report.cases_purged, 1, "{report:?}");
    assert!(report.documents_deleted >= 1, "{report:?}");
    assert!(
        with_store!(&s.store, st => st.documents(id).await.unwrap()).is_empty(),
        "rows deleted"
    );
    assert_eq!(keys(&raw).await, Vec::<String>::new(), "objects deleted");
    let r = s
        .get(
            &format!("/api/v1/cases/{number}/documents/{}", rows[0].id),
            Some(&s.officer),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // The store gone: not ready (the database still answers).
    server.stop();
    let r = s.get("/readyz", None).await;
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    let r = s.get("/healthz", None).await;
    assert_eq!(r.status(), StatusCode::OK);
}

mod documents_on_s3 {
    use super::{BUCKET, S3Server, documents_on_s3_story};
    use tirkeu_server::upload::DocumentsAt;

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    #[cfg_attr(
        not(tirkeu_s3),
        ignore = "S3 server not configured: pip install 'moto[server]' and set TIRKEU_TEST_S3_PYTHON=python3"
    )]
    async fn sqlite() {
        let server = S3Server::start(&[BUCKET]);
        let at = DocumentsAt::S3(server.location(BUCKET, "documents"));
        crate::common::on_sqlite_with(
            move |c| c.documents = at,
            |s| documents_on_s3_story(s, server),
        )
        .await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    #[cfg_attr(
        not(tirkeu_s3),
        ignore = "S3 server not configured: pip install 'moto[server]' and set TIRKEU_TEST_S3_PYTHON=python3"
    )]
    #[cfg_attr(
        all(tirkeu_s3, not(tirkeu_pg)),
        ignore = "PostgreSQL not configured: set TIRKEU_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test"
    )]
    async fn postgres() {
        let server = S3Server::start(&[BUCKET]);
        let at = DocumentsAt::S3(server.location(BUCKET, "documents"));
        crate::common::on_postgres_with(
            move |c| c.documents = at,
            |s| documents_on_s3_story(s, server),
        )
        .await;
    }
}
