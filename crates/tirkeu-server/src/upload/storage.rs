//! Storage: sanitised documents kept by content hash, in a local directory (the default) or
//! in an S3-compatible object store (`s3://bucket/prefix`), behind one [`DocumentStore`].
//!
//! Durability, before the caller commits the row that names a document:
//! - **Local directory.** `object_store`'s local store writes a temporary file and renames it
//!   into place but syncs neither, so after a power cut an acknowledged document's row could
//!   name a file that is empty or missing. `put` therefore syncs the file and then each
//!   directory from its own up to the store's root (a new name is durable only once its
//!   directory is).
//! - **S3.** A PUT that S3 (or a compatible server) answered with success is durably stored
//!   by the server's own guarantee; there is nothing further to sync. `put` returns only after
//!   that answer.
//!
//! Content addressing makes `put` idempotent, and it never overwrites: the local store
//! creates the file only if the name is free; on S3 `put` first asks whether the object is
//! there (a HEAD), and only if it is not sends a PUT with `If-None-Match: *`. A server that
//! answers "already exists" (412) stored the same content under the same hash, which is
//! success. A server that ignores the condition can only overwrite an object with the very
//! same bytes, in a race between two uploads of one file.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use object_store::aws::AmazonS3Builder;
use object_store::aws::AmazonS3ConfigKey::Client;
use object_store::path::Path as StorePath;
use object_store::prefix::PrefixStore;
use object_store::{
    ClientConfigKey, ObjectStore, ObjectStoreExt, PutMode, PutPayload, RetryConfig,
};

use super::{Sanitized, sha256_hex};

/// Where documents are kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DocumentsAt {
    /// A local directory (created if needed).
    Dir(PathBuf),
    /// A bucket (and a prefix in it) of an S3-compatible object store.
    S3(S3Location),
}

impl DocumentsAt {
    /// Reads a documents URL: `s3://BUCKET/PREFIX` (the prefix may be empty), `file:///DIR`,
    /// or a plain directory path. `s3` gives the rest of an S3 location (endpoint, region,
    /// credentials); its bucket and prefix are replaced by the URL's.
    pub fn parse(url: &str, s3: S3Location) -> Result<DocumentsAt, String> {
        let url = url.trim();
        if let Some(rest) = url.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            check_bucket(bucket)?;
            let prefix = prefix.trim_matches('/');
            if !prefix.is_empty() {
                StorePath::parse(prefix)
                    .map_err(|e| format!("`{url}`: the prefix `{prefix}` is not usable: {e}"))?;
            }
            return Ok(DocumentsAt::S3(S3Location {
                bucket: bucket.to_owned(),
                prefix: prefix.to_owned(),
                ..s3
            }));
        }
        if let Some(dir) = url.strip_prefix("file://") {
            if !dir.starts_with('/') {
                return Err(format!(
                    "`{url}`: a file URL names an absolute directory, file:///DIR"
                ));
            }
            return Ok(DocumentsAt::Dir(PathBuf::from(dir)));
        }
        if let Some((scheme, _)) = url.split_once("://") {
            return Err(format!(
                "`{scheme}://` is not a document store: use s3://BUCKET/PREFIX, file:///DIR or a directory"
            ));
        }
        if url.is_empty() {
            return Err("empty: use s3://BUCKET/PREFIX, file:///DIR or a directory".into());
        }
        Ok(DocumentsAt::Dir(PathBuf::from(url)))
    }
}

impl fmt::Display for DocumentsAt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DocumentsAt::Dir(dir) => write!(f, "{}", dir.display()),
            DocumentsAt::S3(s3) => s3.fmt(f),
        }
    }
}

/// A bucket of an S3-compatible store and how to reach it. The secret key is never printed.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct S3Location {
    pub bucket: String,
    /// Prepended to every key, without slashes at its ends; may be empty.
    pub prefix: String,
    /// The server, e.g. `https://s3.example.kz` or `http://127.0.0.1:9000`; none: AWS.
    pub endpoint: Option<String>,
    /// The region signed into each request; none: `us-east-1`.
    pub region: Option<String>,
    /// Both or neither; neither: the standard `AWS_*` environment variables or the
    /// instance's role.
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
    /// Allow a plain-HTTP endpoint (a test server on 127.0.0.1).
    pub allow_http: bool,
}

impl fmt::Debug for S3Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3Location")
            .field("bucket", &self.bucket)
            .field("prefix", &self.prefix)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field(
                "secret_access_key",
                &self.secret_access_key.as_ref().map(|_| "***"),
            )
            .field("allow_http", &self.allow_http)
            .finish()
    }
}

impl fmt::Display for S3Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "s3://{}", self.bucket)?;
        if !self.prefix.is_empty() {
            write!(f, "/{}", self.prefix)?;
        }
        if let Some(e) = &self.endpoint {
            write!(f, " at {e}")?;
        }
        Ok(())
    }
}

/// S3's rules for a bucket name, checked here so that a typo is named before any request.
fn check_bucket(bucket: &str) -> Result<(), String> {
    let ok = (3..=63).contains(&bucket.len())
        && bucket
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        && bucket.starts_with(|c: char| c.is_ascii_alphanumeric())
        && bucket.ends_with(|c: char| c.is_ascii_alphanumeric());
    if ok {
        Ok(())
    } else if bucket.is_empty() {
        Err("no bucket: use s3://BUCKET/PREFIX".into())
    } else {
        Err(format!(
            "`{bucket}` is not a bucket name: 3 to 63 lower-case letters, digits, dots and \
             hyphens, beginning and ending with a letter or digit"
        ))
    }
}

/// Why the store cannot be used, as [`DocumentStore::check`] found.
#[derive(Debug, thiserror::Error)]
pub enum Unusable {
    /// The local directory is missing or not a directory.
    #[error("{0}")]
    Dir(String),
    /// The server answered that the bucket does not exist.
    #[error("the bucket `{0}` does not exist")]
    NoBucket(String),
    /// The server refused the credentials (401/403).
    #[error("the store refused the credentials: {0}")]
    Refused(String),
    /// No answer, or another failure (the endpoint is wrong or down).
    #[error("{0}")]
    Failed(String),
}

#[derive(Debug)]
enum Kind {
    Local { root: PathBuf },
    S3 { bucket: String, shown: String },
}

/// Sanitised documents keyed `sha256/ab/cdef…` by content, in a directory or a bucket.
#[derive(Debug)]
pub struct DocumentStore {
    store: Arc<dyn ObjectStore>,
    kind: Kind,
}

impl DocumentStore {
    /// Opens (creating it if needed) a store under `dir`.
    pub fn open(dir: &Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let root = std::fs::canonicalize(dir)?;
        let store = object_store::local::LocalFileSystem::new_with_prefix(&root)
            .map_err(std::io::Error::other)?;
        Ok(Self {
            store: Arc::new(store),
            kind: Kind::Local { root },
        })
    }

    /// Opens the store `at` names. For S3 nothing is sent yet: [`DocumentStore::check`]
    /// asks the server.
    pub fn open_at(at: &DocumentsAt) -> std::io::Result<Self> {
        match at {
            DocumentsAt::Dir(dir) => Self::open(dir),
            DocumentsAt::S3(s3) => Self::s3(s3).map_err(std::io::Error::other),
        }
    }

    /// A client for the bucket `s3` names.
    pub fn s3(s3: &S3Location) -> Result<Self, object_store::Error> {
        let mut b = match (&s3.access_key_id, &s3.secret_access_key) {
            (Some(id), Some(secret)) => AmazonS3Builder::new()
                .with_access_key_id(id)
                .with_secret_access_key(secret),
            (None, None) => AmazonS3Builder::from_env(),
            _ => {
                return Err(object_store::Error::Generic {
                    store: "DocumentStore",
                    source: "give both the access key id and the secret access key, or neither"
                        .into(),
                });
            }
        };
        b = b
            .with_bucket_name(&s3.bucket)
            .with_region(s3.region.as_deref().unwrap_or("us-east-1"))
            .with_allow_http(s3.allow_http)
            // A server that does not answer is reported within seconds (at start and by
            // /readyz), not after object_store's default three minutes of retries. (Set key
            // by key: `with_client_options` would drop what `from_env` read.)
            .with_config(Client(ClientConfigKey::ConnectTimeout), "5s")
            .with_config(Client(ClientConfigKey::Timeout), "60s")
            .with_retry(RetryConfig {
                max_retries: 4,
                retry_timeout: Duration::from_secs(30),
                ..RetryConfig::default()
            });
        if let Some(endpoint) = &s3.endpoint {
            b = b.with_endpoint(endpoint);
        }
        let client = b.build()?;
        let store: Arc<dyn ObjectStore> = if s3.prefix.is_empty() {
            Arc::new(client)
        } else {
            Arc::new(PrefixStore::new(client, s3.prefix.as_str()))
        };
        Ok(Self {
            store,
            kind: Kind::S3 {
                bucket: s3.bucket.clone(),
                shown: s3.to_string(),
            },
        })
    }

    /// Where the documents are, for people: a directory, or `s3://bucket/prefix at ENDPOINT`.
    pub fn describe(&self) -> String {
        match &self.kind {
            Kind::Local { root } => root.display().to_string(),
            Kind::S3 { shown, .. } => shown.clone(),
        }
    }

    /// Whether the store can be used: the directory is there, or the bucket answers a
    /// listing with these credentials. Run at start and by `/readyz`.
    pub async fn check(&self) -> Result<(), Unusable> {
        match &self.kind {
            Kind::Local { root } => match tokio::fs::metadata(root).await {
                Ok(m) if m.is_dir() => Ok(()),
                Ok(_) => Err(Unusable::Dir(format!(
                    "{} is not a directory",
                    root.display()
                ))),
                Err(e) => Err(Unusable::Dir(format!("{}: {e}", root.display()))),
            },
            Kind::S3 { bucket, .. } => {
                // A HEAD of a key that is never written: the answer's status is told apart
                // by object_store (refused credentials, or an endpoint that does not answer),
                // but a missing key and a missing bucket are both a 404.
                match self.store.head(&StorePath::from("sha256/probe")).await {
                    Ok(_) | Err(object_store::Error::NotFound { .. }) => {}
                    Err(
                        e @ (object_store::Error::PermissionDenied { .. }
                        | object_store::Error::Unauthenticated { .. }),
                    ) => return Err(Unusable::Refused(with_causes(&e))),
                    Err(e) => return Err(Unusable::Failed(with_causes(&e))),
                }
                // A listing names a missing bucket (S3's error code NoSuchBucket, a 404;
                // object_store reports list failures only as text). At most 256 common
                // prefixes (`sha256/00/` … `sha256/ff/`) however many documents there are.
                match self
                    .store
                    .list_with_delimiter(Some(&StorePath::from("sha256")))
                    .await
                {
                    Ok(_) => Ok(()),
                    Err(e) => {
                        let text = with_causes(&e);
                        Err(
                            if text.contains("NoSuchBucket") || text.contains("404 Not Found") {
                                Unusable::NoBucket(bucket.clone())
                            } else if text.contains("403 Forbidden") {
                                Unusable::Refused(format!(
                                    "the key may not list the bucket (s3:ListBucket): {text}"
                                ))
                            } else {
                                Unusable::Failed(text)
                            },
                        )
                    }
                }
            }
        }
    }

    /// Stores `s` under its hash. Storing the same content again is a no-op.
    pub async fn put(&self, s: &Sanitized) -> Result<(), object_store::Error> {
        let actual = sha256_hex(&s.bytes);
        if !actual.eq_ignore_ascii_case(&s.sha256) {
            return Err(object_store::Error::Generic {
                store: "DocumentStore",
                source: "the sha256 field does not match the bytes".into(),
            });
        }
        let key = key(&actual);
        if let Kind::S3 { .. } = self.kind {
            // Already there: nothing to send (and nothing to overwrite on a server that
            // ignores If-None-Match).
            match self.store.head(&key).await {
                Ok(meta) => return same_size(&key, meta.size, s.bytes.len()),
                Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        let payload = PutPayload::from(s.bytes.clone());
        match self
            .store
            .put_opts(&key, payload, PutMode::Create.into())
            .await
        {
            Ok(_) => {}
            // The same content, stored by a concurrent upload or (locally) by a run that
            // died before syncing it.
            Err(object_store::Error::AlreadyExists { .. }) => {
                if let Kind::S3 { .. } = self.kind {
                    let meta = self.store.head(&key).await?;
                    same_size(&key, meta.size, s.bytes.len())?;
                }
            }
            Err(e) => return Err(e),
        }
        match self.kind {
            Kind::Local { .. } => self.sync(&actual).await,
            // S3 answered the PUT: the object is durable (see the module's comment).
            Kind::S3 { .. } => Ok(()),
        }
    }

    /// Syncs the stored file of `sha256` and the directories naming it, up to the root.
    async fn sync(&self, sha256: &str) -> Result<(), object_store::Error> {
        let Kind::Local { root } = &self.kind else {
            return Ok(());
        };
        let root = root.clone();
        let file = root.join(key(sha256).as_ref());
        let synced = tokio::task::spawn_blocking(move || -> std::io::Result<()> {
            std::fs::File::open(&file)?.sync_all()?;
            let mut dir = file.parent();
            while let Some(d) = dir {
                std::fs::File::open(d)?.sync_all()?;
                if d == root {
                    break;
                }
                dir = d.parent();
            }
            Ok(())
        })
        .await
        .map_err(std::io::Error::other)
        .and_then(|r| r);
        synced.map_err(|e| object_store::Error::Generic {
            store: "DocumentStore",
            source: Box::new(e),
        })
    }

    /// Reads a document back by its hash. Anything but 64 hex digits is refused as not found,
    /// before it gets near a path.
    pub async fn get(&self, sha256: &str) -> Result<bytes::Bytes, object_store::Error> {
        self.store.get(&checked_key(sha256)?).await?.bytes().await
    }

    /// Deletes a document's stored file (retention); one already gone is no error.
    pub async fn delete(&self, sha256: &str) -> Result<(), object_store::Error> {
        match self.store.delete(&checked_key(sha256)?).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e),
        }
    }
}

/// `e` and what caused it (`object_store`'s own text stops at "error sending request", where
/// the cause says "Connection refused").
fn with_causes(e: &object_store::Error) -> String {
    let mut text = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        let more = c.to_string();
        if !text.contains(&more) {
            text = format!("{text}: {more}");
        }
        cause = c.source();
    }
    text
}

/// An object already under a document's hash must be that document: one of another size is
/// damage, reported and left as it is (never overwritten).
fn same_size(key: &StorePath, stored: u64, expected: usize) -> Result<(), object_store::Error> {
    if u64::try_from(expected).is_ok_and(|e| e == stored) {
        Ok(())
    } else {
        Err(object_store::Error::Generic {
            store: "DocumentStore",
            source: format!(
                "{key} already holds {stored} bytes, not the {expected} bytes whose hash names it"
            )
            .into(),
        })
    }
}

/// The key of a document hash given from outside: anything but 64 hex digits is refused as
/// not found, before it gets near a path.
fn checked_key(sha256: &str) -> Result<StorePath, object_store::Error> {
    if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(object_store::Error::NotFound {
            path: "(invalid document hash)".into(),
            source: "a document hash is 64 hexadecimal digits".into(),
        });
    }
    Ok(key(&sha256.to_ascii_lowercase()))
}

/// `sha256/ab/cdef…` for a validated lower-case hex digest.
fn key(sha256: &str) -> StorePath {
    StorePath::from(format!("sha256/{}/{}", &sha256[..2], &sha256[2..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_stored_file_is_synced_where_it_lies() {
        let dir = tempfile::tempdir().unwrap();
        let store = DocumentStore::open(dir.path()).unwrap();
        let bytes = b"%PDF-1.7 a document".to_vec();
        let sha256 = sha256_hex(&bytes);
        let doc = Sanitized {
            bytes,
            content_type: "application/pdf",
            sha256: sha256.clone(),
        };
        store.put(&doc).await.unwrap();
        // Again: the same content is no error, and is synced again.
        store.put(&doc).await.unwrap();
        assert!(dir.path().join(key(&sha256).as_ref()).is_file());
        // The sync opens the very file: one that is not there is an error, never a pass.
        assert!(store.sync(&"0".repeat(64)).await.is_err());
        assert_eq!(
            &store.get(&sha256).await.unwrap()[..],
            b"%PDF-1.7 a document"
        );
        assert!(store.check().await.is_ok());
        drop(dir);
        assert!(matches!(store.check().await, Err(Unusable::Dir(_))));
    }

    #[test]
    fn documents_urls_are_read_or_refused_saying_why() {
        let s3 = S3Location {
            endpoint: Some("http://127.0.0.1:9000".into()),
            secret_access_key: Some("hunter2".into()),
            ..S3Location::default()
        };
        let DocumentsAt::S3(at) =
            DocumentsAt::parse("s3://tirkeu-docs/prod/kz/", s3.clone()).unwrap()
        else {
            panic!("not S3")
        };
        assert_eq!(
            (at.bucket.as_str(), at.prefix.as_str()),
            ("tirkeu-docs", "prod/kz")
        );
        assert_eq!(at.endpoint.as_deref(), Some("http://127.0.0.1:9000"));
        assert_eq!(
            at.to_string(),
            "s3://tirkeu-docs/prod/kz at http://127.0.0.1:9000"
        );
        assert!(!format!("{at:?}").contains("hunter2"));
        let DocumentsAt::S3(at) = DocumentsAt::parse("s3://tirkeu-docs", s3.clone()).unwrap()
        else {
            panic!("not S3")
        };
        assert_eq!(at.prefix, "");
        assert_eq!(
            DocumentsAt::parse("file:///srv/docs", s3.clone()).unwrap(),
            DocumentsAt::Dir("/srv/docs".into())
        );
        assert_eq!(
            DocumentsAt::parse("data/docs", s3.clone()).unwrap(),
            DocumentsAt::Dir("data/docs".into())
        );
        let refused = |url: &str| DocumentsAt::parse(url, s3.clone()).unwrap_err();
        assert!(refused("s3://").contains("no bucket"));
        assert!(refused("s3:///prefix").contains("no bucket"));
        assert!(refused("s3://Tirkeu_Docs/x").contains("not a bucket name"));
        assert!(refused("s3://ab").contains("not a bucket name"));
        assert!(refused("s3://tirkeu-docs/a//b").contains("prefix"));
        assert!(refused("gs://tirkeu-docs").contains("gs://"));
        assert!(refused("file://docs").contains("absolute"));
        assert!(refused(" ").contains("empty"));
        // Half the credentials are refused before anything is sent.
        let half = S3Location {
            bucket: "tirkeu-docs".into(),
            access_key_id: Some("AKIA".into()),
            ..S3Location::default()
        };
        assert!(
            DocumentStore::s3(&half)
                .unwrap_err()
                .to_string()
                .contains("both")
        );
    }
}
