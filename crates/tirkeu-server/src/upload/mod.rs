//! Safe document uploads: decide a file's type by its content, make images harmless by
//! re-encoding them, refuse active PDFs and archives, and store what is left by content hash.
//!
//! Decisions, and why:
//! - **Type by magic bytes only.** The client's file name and `Content-Type` are never consulted
//!   (the API takes neither). Archives (zip and everything built on it such as docx/xlsx, gzip,
//!   rar, 7z, bzip2, xz, zstd, cab, tar) are recognised so the applicant gets a precise reason.
//! - **PDF header at offset 0.** The PDF spec lets readers find `%PDF-` anywhere in the first
//!   1024 bytes; we insist on offset 0 (no BOM, no whitespace). Every real generator writes it
//!   there, and a prefix is the classic way to build polyglots (a file that is a PDF to one
//!   program and HTML, ZIP or a script to another). A late header is `Unrecognised`.
//! - **PDFs are parsed with `lopdf` and scanned byte by byte**, and refused when either finds
//!   a name by which a PDF acts or carries a file (`JavaScript`, `JS`, `Launch`, `AA`, an
//!   `OpenAction` that is an action, `EF`, `AF`, `RF`, `EmbeddedFile(s)`, `FileAttachment`,
//!   `RichMedia`, `XFA`, `SubmitForm`, `ImportData`, `GoToR`, `GoToE`; see `pdf.rs`). The parser
//!   walks every object it loads, object streams included, with `#xx` escapes decoded; lopdf
//!   0.47 bounds nesting depth and the size any one stream may inflate to (`Limits::max_alloc`).
//!   The byte scan reads everything outside stream bodies and inside object streams (inflated
//!   chunk by chunk, within `max_alloc` over the whole file), so objects the parser skips
//!   (orphans, shadowed duplicates, object streams no xref lists, which another reader might
//!   still resolve) are no blind spot; an object stream it cannot decode is refused, not
//!   skipped. A parser panic is caught and reported as `BadPdf`. Encrypted PDFs are refused:
//!   we could not inspect them and officers could not open them.
//! - **No polyglots among PDFs** (they are stored as uploaded): a ZIP end record in the last
//!   64 KiB (a PDF that is also a ZIP, JAR or docx) is refused as an archive, and anything but
//!   whitespace after the last `%%EOF` (an appended HTML page or script) as a bad PDF.
//! - **PDFs are stored byte-for-byte as uploaded** (never rewritten): rewriting risks losing
//!   signatures and content, and an inspected, unchanged file is easier to reason about.
//! - **Images are decoded and re-encoded** (JPEG → JPEG quality 90, PNG → PNG), so no EXIF, GPS,
//!   XMP, ICC profile, comment or text chunk survives. The EXIF orientation is applied to the
//!   pixels first, so portrait photos stay upright. Dropping the ICC profile may shift colours of
//!   wide-gamut photos slightly; acceptable for document scans.
//! - **Dimensions before pixels.** The dimensions are read from the PNG `IHDR` / JPEG `SOFn` by
//!   hand and checked against `max_pixels` before any decoder exists, checked again on the
//!   decoder's own view, and the decoder also runs under `image::Limits` (width, height,
//!   `max_alloc`), so a decompression bomb fails before its buffer is allocated.
//!   The decoded image counts against `max_alloc`; rotating or converting it for the encoder
//!   may copy it once more, so peak memory is up to about twice `max_alloc`.
//! - `sanitize` is CPU-bound: call it from `tokio::task::spawn_blocking`. Catching lopdf panics
//!   needs the default `panic = "unwind"`.
//! - **At most one file per core is sanitised at once** ([`SanitizeGate`]): each decode may hold
//!   up to about twice `max_alloc`, and three 40-megapixel PNGs at once doubled the server's
//!   memory. More uploads wait their turn rather than being refused (an applicant's upload
//!   is worth a short wait); the request body is already read, within its document's limit.

use sha2::{Digest, Sha256};
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tirkeu_core::problem::FieldProblem;

use images::{ImageKind, sanitize_image};
use pdf::check_pdf;

/// Quality used when re-encoding JPEGs: visually lossless for document photos.
const JPEG_QUALITY: u8 = 90;

/// Resource limits for one upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted file, in bytes; checked before anything is parsed.
    pub max_bytes: usize,
    /// Largest accepted image, in pixels (width × height).
    pub max_pixels: u64,
    /// Most memory a decoder may allocate (image buffer, one inflated PDF stream).
    pub max_alloc: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_bytes: 20 * 1024 * 1024,
            max_pixels: 40_000_000,
            max_alloc: 256 * 1024 * 1024,
        }
    }
}

/// A file that passed every check, ready to store.
#[derive(Clone, PartialEq, Eq)]
pub struct Sanitized {
    pub bytes: Vec<u8>,
    /// `"image/jpeg"`, `"image/png"` or `"application/pdf"`.
    pub content_type: &'static str,
    /// Lower-case hex SHA-256 of `bytes`.
    pub sha256: String,
}

impl fmt::Debug for Sanitized {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sanitized")
            .field("len", &self.bytes.len())
            .field("content_type", &self.content_type)
            .field("sha256", &self.sha256)
            .finish()
    }
}

/// Why an upload was refused.
#[derive(thiserror::Error, Debug)]
pub enum UploadError {
    #[error("the file is {size} bytes; at most {max} are accepted")]
    TooLarge { size: usize, max: usize },
    #[error("the file is empty")]
    Empty,
    #[error("a file of type {detected} is not accepted here (accepted: {})", allowed.join(", "))]
    NotAllowed {
        detected: String,
        allowed: Vec<String>,
    },
    #[error("the file type is not recognised; upload a JPEG, PNG or PDF")]
    Unrecognised,
    #[error("archives ({0}) are not accepted; upload each document separately")]
    Archive(&'static str),
    /// Over `max_pixels`, or decoding would need more than `max_alloc` bytes.
    #[error("the image is {width}×{height} pixels; at most {max_pixels} pixels are accepted")]
    ImageTooLarge {
        width: u32,
        height: u32,
        max_pixels: u64,
    },
    #[error("the image cannot be read: {0}")]
    BadImage(String),
    #[error("the PDF cannot be read: {0}")]
    BadPdf(String),
    #[error("the PDF contains active content ({}); print it to a plain PDF and upload that", .0.join(", "))]
    ActivePdf(Vec<&'static str>),
}

impl UploadError {
    /// The problem with `field`, as data: `upload.` + [`UploadError::reason_code`], with the
    /// values the message names.
    pub fn problem(&self, field: &str) -> FieldProblem {
        let code = match self {
            Self::TooLarge { .. } => "upload.too_large",
            Self::Empty => "upload.empty",
            Self::NotAllowed { .. } => "upload.type_not_allowed",
            Self::Unrecognised => "upload.unrecognised_type",
            Self::Archive(_) => "upload.archive",
            Self::ImageTooLarge { .. } => "upload.image_too_large",
            Self::BadImage(_) => "upload.bad_image",
            Self::BadPdf(_) => "upload.bad_pdf",
            Self::ActivePdf(_) => "upload.active_pdf",
        };
        let p = FieldProblem::new(field, code);
        match self {
            Self::TooLarge { size, max } => p.with("size", size).with("max", max),
            Self::NotAllowed { detected, allowed } => p
                .with("detected", detected)
                .with("allowed", allowed.join(", ")),
            Self::Archive(kind) => p.with("kind", kind),
            Self::ImageTooLarge {
                width,
                height,
                max_pixels,
            } => p
                .with("width", width)
                .with("height", height)
                .with("max_pixels", max_pixels),
            Self::BadImage(detail) | Self::BadPdf(detail) => p.with("detail", detail),
            Self::ActivePdf(what) => p.with("what", what.join(", ")),
            Self::Empty | Self::Unrecognised => p,
        }
    }

    /// A stable `snake_case` code for the API (the message may change, this may not).
    pub fn reason_code(&self) -> &'static str {
        match self {
            Self::TooLarge { .. } => "too_large",
            Self::Empty => "empty",
            Self::NotAllowed { .. } => "type_not_allowed",
            Self::Unrecognised => "unrecognised_type",
            Self::Archive(_) => "archive",
            Self::ImageTooLarge { .. } => "image_too_large",
            Self::BadImage(_) => "bad_image",
            Self::BadPdf(_) => "bad_pdf",
            Self::ActivePdf(_) => "active_pdf",
        }
    }
}

/// What a file is, judged by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detected {
    Jpeg,
    Png,
    Pdf,
    /// An archive or compressed file, named by its kind (`"zip"`, `"gzip"`, `"tar"`, …).
    Archive(&'static str),
    Unknown,
}

impl Detected {
    /// The MIME type we store the file under, for the accepted kinds.
    pub fn content_type(self) -> Option<&'static str> {
        match self {
            Self::Jpeg => Some("image/jpeg"),
            Self::Png => Some("image/png"),
            Self::Pdf => Some("application/pdf"),
            Self::Archive(_) | Self::Unknown => None,
        }
    }
}

const PNG_MAGIC: &[u8] = b"\x89PNG\r\n\x1a\n";

const ARCHIVE_MAGIC: &[(&[u8], &str)] = &[
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"), // empty archive
    (b"PK\x07\x08", "zip"), // spanned archive
    (b"\x1f\x8b", "gzip"),
    (b"Rar!\x1a\x07", "rar"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
    (b"MSCF", "cab"),
    (b"\x1f\x9d", "compress"),
    (b"LZIP", "lzip"),
];

/// Decides a file's type from its magic bytes only — never from a name or a header.
pub fn detect(bytes: &[u8]) -> Detected {
    // Images first: they are re-encoded, so an image/archive polyglot loses its archive.
    if bytes.starts_with(b"\xff\xd8\xff") {
        return Detected::Jpeg;
    }
    if bytes.starts_with(PNG_MAGIC) {
        return Detected::Png;
    }
    // Archives before PDF: a PDF is stored as uploaded, so a tar/PDF polyglot must not pass.
    if let Some((_, kind)) = ARCHIVE_MAGIC.iter().find(|(m, _)| bytes.starts_with(m)) {
        return Detected::Archive(kind);
    }
    if bytes.get(257..262) == Some(b"ustar") {
        return Detected::Archive("tar");
    }
    if bytes.starts_with(b"%PDF-") {
        return Detected::Pdf;
    }
    Detected::Unknown
}

/// Checks an upload against `allowed` content types (exact, or `image/*`) and `limits`, and
/// returns what to store: images re-encoded without metadata, PDFs unchanged.
pub fn sanitize(bytes: &[u8], allowed: &[&str], limits: &Limits) -> Result<Sanitized, UploadError> {
    if bytes.is_empty() {
        return Err(UploadError::Empty);
    }
    if bytes.len() > limits.max_bytes {
        return Err(UploadError::TooLarge {
            size: bytes.len(),
            max: limits.max_bytes,
        });
    }
    let detected = detect(bytes);
    let content_type = match detected {
        Detected::Archive(kind) => return Err(UploadError::Archive(kind)),
        Detected::Unknown => return Err(UploadError::Unrecognised),
        Detected::Jpeg | Detected::Png | Detected::Pdf => detected
            .content_type()
            .expect("accepted kinds have a content type"),
    };
    if !allowed.iter().any(|a| type_matches(a, content_type)) {
        return Err(UploadError::NotAllowed {
            detected: content_type.to_owned(),
            allowed: allowed.iter().map(|a| (*a).to_owned()).collect(),
        });
    }
    let stored = match detected {
        Detected::Jpeg => sanitize_image(bytes, ImageKind::Jpeg, limits)?,
        Detected::Png => sanitize_image(bytes, ImageKind::Png, limits)?,
        _ => {
            check_pdf(bytes, limits)?;
            bytes.to_vec()
        }
    };
    let sha256 = sha256_hex(&stored);
    Ok(Sanitized {
        bytes: stored,
        content_type,
        sha256,
    })
}

/// Lets at most `cap` files be sanitised at once; the others wait. Cloning shares the gate.
#[derive(Clone, Debug)]
pub struct SanitizeGate(Arc<GateInner>);

#[derive(Debug)]
struct GateInner {
    permits: Arc<tokio::sync::Semaphore>,
    cap: usize,
    in_flight: AtomicUsize,
    peak: AtomicUsize,
}

impl SanitizeGate {
    /// A gate for `cap` files at once (at least one).
    pub fn new(cap: usize) -> Self {
        let cap = cap.max(1);
        Self(Arc::new(GateInner {
            permits: Arc::new(tokio::sync::Semaphore::new(cap)),
            cap,
            in_flight: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
        }))
    }

    /// One file per core: decoding is CPU-bound, so more at once would only hold more memory.
    /// (There is no upload section in the configuration; this is the one setting it would
    /// have.)
    pub fn per_core() -> Self {
        Self::new(std::thread::available_parallelism().map_or(2, std::num::NonZero::get))
    }

    pub fn cap(&self) -> usize {
        self.0.cap
    }

    /// The most files that were being sanitised at the same moment, since the gate was made.
    pub fn peak(&self) -> usize {
        self.0.peak.load(Ordering::SeqCst)
    }

    /// [`sanitize`] on a blocking thread once a place is free. The place is held by the
    /// blocking task itself, so a request that is dropped while its file is decoded does
    /// not free it early.
    pub async fn sanitize(
        &self,
        bytes: Vec<u8>,
        allowed: Vec<&'static str>,
        limits: Limits,
    ) -> Result<Result<Sanitized, UploadError>, tokio::task::JoinError> {
        let permit = self
            .0
            .permits
            .clone()
            .acquire_owned()
            .await
            .expect("the gate's semaphore is never closed");
        let gate = self.0.clone();
        tokio::task::spawn_blocking(move || {
            let now = gate.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            gate.peak.fetch_max(now, Ordering::SeqCst);
            let result = sanitize(&bytes, &allowed, &limits);
            gate.in_flight.fetch_sub(1, Ordering::SeqCst);
            drop(permit);
            result
        })
        .await
    }
}

fn type_matches(pattern: &str, content_type: &str) -> bool {
    let pattern = pattern.trim();
    if let Some(major) = pattern.strip_suffix("/*") {
        content_type
            .split_once('/')
            .is_some_and(|(m, _)| m.eq_ignore_ascii_case(major))
    } else {
        pattern.eq_ignore_ascii_case(content_type)
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

mod images;
mod pdf;
mod storage;

pub use storage::{DocumentStore, DocumentsAt, S3Location, Unusable};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_patterns() {
        assert!(type_matches("image/*", "image/png"));
        assert!(type_matches(" Application/PDF ", "application/pdf"));
        assert!(!type_matches("image/*", "application/pdf"));
        assert!(!type_matches("*", "image/png"));
        assert!(!type_matches("image/jp", "image/jpeg"));
    }
}
