//! Storage: sanitised documents kept by content hash.
//!
//! A stored file is made durable before `put` returns: `object_store`'s local store writes a
//! temporary file and renames it into place but syncs neither, so after a power cut an
//! acknowledged document's row could name a file that is empty or missing. `put` therefore
//! syncs the file and then each directory from its own up to the store's root (a new name is
//! durable only once its directory is), before the caller commits the row that refers to it.

use object_store::local::LocalFileSystem;
use object_store::path::Path as StorePath;
use object_store::{ObjectStore, ObjectStoreExt, PutMode, PutPayload};

use super::{Sanitized, sha256_hex};

/// Sanitised documents on the local filesystem, keyed `sha256/ab/cdef…` by content.
#[derive(Debug)]
pub struct DocumentStore {
    store: LocalFileSystem,
    root: std::path::PathBuf,
}

impl DocumentStore {
    /// Opens (creating it if needed) a store under `dir`.
    pub fn open(dir: &std::path::Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let root = std::fs::canonicalize(dir)?;
        let store = LocalFileSystem::new_with_prefix(&root).map_err(std::io::Error::other)?;
        Ok(Self { store, root })
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
            // The same content stored before may be from a run that died before syncing it.
            Ok(_) | Err(object_store::Error::AlreadyExists { .. }) => self.sync(&actual).await,
            Err(e) => Err(e),
        }
    }

    /// Syncs the stored file of `sha256` and the directories naming it, up to the root.
    async fn sync(&self, sha256: &str) -> Result<(), object_store::Error> {
        let root = self.root.clone();
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
    }
}
