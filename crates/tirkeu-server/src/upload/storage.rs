//! Storage: sanitised documents kept by content hash.

use object_store::local::LocalFileSystem;
use object_store::path::Path as StorePath;
use object_store::{ObjectStore, ObjectStoreExt, PutMode, PutPayload};

use super::{Sanitized, sha256_hex};

/// Sanitised documents on the local filesystem, keyed `sha256/ab/cdef…` by content.
#[derive(Debug)]
pub struct DocumentStore {
    store: LocalFileSystem,
}

impl DocumentStore {
    /// Opens (creating it if needed) a store under `dir`.
    pub fn open(dir: &std::path::Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let store = LocalFileSystem::new_with_prefix(dir).map_err(std::io::Error::other)?;
        Ok(Self { store })
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
        let payload = PutPayload::from(s.bytes.clone());
        match self
            .store
            .put_opts(&key(&actual), payload, PutMode::Create.into())
            .await
        {
            Ok(_) | Err(object_store::Error::AlreadyExists { .. }) => Ok(()),
            Err(e) => Err(e),
        }
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
