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
//! - **PDFs are parsed with `lopdf`**, not scanned: it walks every object, including those
//!   inside (decompressed) object streams, and decodes `#xx` name escapes, which a byte scan
//!   cannot see. lopdf 0.47 bounds nesting depth and the size any one stream may inflate to
//!   (we pass `Limits::max_alloc`). A byte-level scan of everything *outside* stream bodies runs
//!   as well, so objects the parser skips (orphans, shadowed duplicates that another reader
//!   might still resolve) are not a blind spot. A parser panic is caught and reported as
//!   `BadPdf`. Encrypted PDFs are refused: we could not inspect them and officers could not
//!   open them.
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

use std::collections::BTreeSet;
use std::fmt;
use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};
use tirkeu_core::problem::FieldProblem;

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader};
use object_store::local::LocalFileSystem;
use object_store::path::Path as StorePath;
use object_store::{ObjectStore, ObjectStoreExt, PutMode, PutPayload};
use sha2::{Digest, Sha256};

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

// ---------------------------------------------------------------------------------------------
// Images

#[derive(Clone, Copy)]
enum ImageKind {
    Jpeg,
    Png,
}

fn sanitize_image(bytes: &[u8], kind: ImageKind, limits: &Limits) -> Result<Vec<u8>, UploadError> {
    let (width, height) = match kind {
        ImageKind::Png => png_dimensions(bytes),
        ImageKind::Jpeg => jpeg_dimensions(bytes),
    }
    .ok_or_else(|| UploadError::BadImage("no image dimensions in the header".into()))?;
    check_pixels(width, height, limits)?;

    // A single side can never exceed max_pixels (the other side is at least 1).
    let side = u32::try_from(limits.max_pixels).unwrap_or(u32::MAX);
    let mut decoder_limits = image::Limits::default();
    decoder_limits.max_image_width = Some(side);
    decoder_limits.max_image_height = Some(side);
    decoder_limits.max_alloc = Some(limits.max_alloc);

    let too_large = |e: ImageError, (width, height): (u32, u32)| match e {
        ImageError::Limits(_) => UploadError::ImageTooLarge {
            width,
            height,
            max_pixels: limits.max_pixels,
        },
        other => UploadError::BadImage(other.to_string()),
    };

    let mut reader = ImageReader::new(Cursor::new(bytes));
    reader.set_format(match kind {
        ImageKind::Jpeg => ImageFormat::Jpeg,
        ImageKind::Png => ImageFormat::Png,
    });
    reader.limits(decoder_limits.clone());
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| too_large(e, (width, height)))?;
    // The decoder's view is the one that counts, should our header reading ever disagree.
    let dims = decoder.dimensions();
    check_pixels(dims.0, dims.1, limits)?;
    // `into_decoder` does not count the output buffer against `max_alloc` (only
    // `ImageReader::decode` does, and it cannot give us the orientation): reserve it here.
    let mut remaining = decoder_limits;
    remaining
        .reserve(decoder.total_bytes())
        .and_then(|()| decoder.set_limits(remaining))
        .map_err(|e| too_large(e, dims))?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| too_large(e, dims))?;
    img.apply_orientation(orientation);

    let mut out = Vec::new();
    let encoded = match kind {
        ImageKind::Png => {
            let img = match img {
                DynamicImage::ImageLuma8(_)
                | DynamicImage::ImageLumaA8(_)
                | DynamicImage::ImageRgb8(_)
                | DynamicImage::ImageRgba8(_)
                | DynamicImage::ImageLuma16(_)
                | DynamicImage::ImageLumaA16(_)
                | DynamicImage::ImageRgb16(_)
                | DynamicImage::ImageRgba16(_) => img,
                other => DynamicImage::ImageRgba8(other.to_rgba8()),
            };
            img.write_with_encoder(PngEncoder::new_with_quality(
                &mut out,
                CompressionType::Default,
                FilterType::Adaptive,
            ))
        }
        ImageKind::Jpeg => {
            // The JPEG encoder takes grey or RGB only.
            let img = match img {
                DynamicImage::ImageLuma8(_) | DynamicImage::ImageRgb8(_) => img,
                other => DynamicImage::ImageRgb8(other.to_rgb8()),
            };
            img.write_with_encoder(JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY))
        }
    };
    encoded.map_err(|e| UploadError::BadImage(format!("re-encoding failed: {e}")))?;
    Ok(out)
}

fn check_pixels(width: u32, height: u32, limits: &Limits) -> Result<(), UploadError> {
    if width == 0 || height == 0 {
        return Err(UploadError::BadImage(format!(
            "the image declares {width}×{height} pixels"
        )));
    }
    if u64::from(width) * u64::from(height) > limits.max_pixels {
        return Err(UploadError::ImageTooLarge {
            width,
            height,
            max_pixels: limits.max_pixels,
        });
    }
    Ok(())
}

fn be_u16(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn be_u32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// Width and height from the PNG `IHDR` chunk, which must come first.
fn png_dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.get(12..16)? != b"IHDR" {
        return None;
    }
    Some((be_u32(bytes, 16)?, be_u32(bytes, 20)?))
}

/// Width and height from the first JPEG start-of-frame segment.
fn jpeg_dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    let mut i = 2; // after SOI
    loop {
        if *bytes.get(i)? != 0xFF {
            return None;
        }
        let marker = *bytes.get(i + 1)?;
        i += 2;
        match marker {
            0xFF => i -= 1, // fill byte: the next 0xFF starts the marker
            0x01 | 0xD0..=0xD8 => {}
            0xD9 | 0xDA => return None, // end of image or scan data before any frame header
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                // length(2) precision(1) height(2) width(2)
                let height = be_u16(bytes, i + 3)?;
                let width = be_u16(bytes, i + 5)?;
                return Some((u32::from(width), u32::from(height)));
            }
            _ => {
                let len = usize::from(be_u16(bytes, i)?);
                if len < 2 {
                    return None;
                }
                i += len;
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// PDFs

/// Names that make a PDF act rather than show, and the label we report them under.
/// `URI` links are allowed: they are common in bank statements and need a click.
const ACTIVE_NAMES: &[(&[u8], &str)] = &[
    (b"JavaScript", "JavaScript"),
    (b"JS", "JavaScript"),
    (b"OpenAction", "OpenAction"),
    (b"AA", "AA"),
    (b"Launch", "Launch"),
    (b"EmbeddedFile", "EmbeddedFile"),
    (b"EmbeddedFiles", "EmbeddedFile"),
    (b"FileAttachment", "EmbeddedFile"),
    (b"RichMedia", "RichMedia"),
    (b"XFA", "XFA"),
    (b"SubmitForm", "SubmitForm"),
    (b"ImportData", "ImportData"),
    (b"GoToR", "GoToR"),
    (b"GoToE", "GoToE"),
];

fn note_name(name: &[u8], found: &mut BTreeSet<&'static str>) {
    if let Some((_, label)) = ACTIVE_NAMES.iter().find(|(n, _)| *n == name) {
        found.insert(label);
    }
}

fn check_pdf(bytes: &[u8], limits: &Limits) -> Result<(), UploadError> {
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    if find(tail, b"%%EOF").is_none() {
        return Err(UploadError::BadPdf("no %%EOF marker at the end".into()));
    }

    let mut found = BTreeSet::new();
    scan_raw_names(bytes, &mut found);

    let options = lopdf::LoadOptions {
        max_decompressed_size: Some(usize::try_from(limits.max_alloc).unwrap_or(usize::MAX)),
        ..lopdf::LoadOptions::default()
    };
    let parsed = catch_unwind(AssertUnwindSafe(|| {
        lopdf::Document::load_mem_with_options(bytes, options)
    }));
    let doc = match parsed {
        Ok(Ok(doc)) => Some(doc),
        Ok(Err(e)) if found.is_empty() => return Err(UploadError::BadPdf(e.to_string())),
        Err(_) if found.is_empty() => {
            return Err(UploadError::BadPdf("the PDF parser failed".into()));
        }
        _ => None,
    };
    if let Some(doc) = &doc {
        walk_objects(&doc.trailer, doc.objects.values(), &mut found);
    }
    if !found.is_empty() {
        return Err(UploadError::ActivePdf(found.into_iter().collect()));
    }
    let doc = doc.expect("a failed parse with nothing found returned above");
    if doc.was_encrypted() || doc.trailer.has(b"Encrypt") {
        return Err(UploadError::BadPdf(
            "encrypted PDFs are not accepted".into(),
        ));
    }
    if doc.page_iter().next().is_none() {
        return Err(UploadError::BadPdf("the PDF has no pages".into()));
    }
    Ok(())
}

/// Every dictionary key and name value of every object the parser loaded, object streams
/// included (lopdf has already decoded `#xx` escapes).
fn walk_objects<'a>(
    trailer: &'a lopdf::Dictionary,
    objects: impl Iterator<Item = &'a lopdf::Object>,
    found: &mut BTreeSet<&'static str>,
) {
    use lopdf::Object;
    let mut stack: Vec<&Object> = objects.collect();
    let mut dicts: Vec<&lopdf::Dictionary> = vec![trailer];
    loop {
        if let Some(dict) = dicts.pop() {
            for (key, value) in dict {
                note_name(key, found);
                stack.push(value);
            }
            continue;
        }
        let Some(object) = stack.pop() else { break };
        match object {
            Object::Name(name) => note_name(name, found),
            Object::Array(items) => stack.extend(items),
            Object::Dictionary(dict) => dicts.push(dict),
            Object::Stream(stream) => dicts.push(&stream.dict),
            _ => {}
        }
    }
}

const fn is_pdf_delimiter(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

const fn is_pdf_whitespace(b: u8) -> bool {
    matches!(b, b'\0' | b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

const fn is_pdf_regular(b: u8) -> bool {
    !is_pdf_delimiter(b) && !is_pdf_whitespace(b)
}

fn hex_value(b: u8) -> Option<u8> {
    char::from(b)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

/// Finds name tokens (`/Name`, decoding `#xx`) everywhere outside stream bodies. Conservative:
/// a name inside a string or comment also counts. Stream bodies are skipped because binary
/// data (scanned pages) contains `/AA` and the like by chance.
fn scan_raw_names(bytes: &[u8], found: &mut BTreeSet<&'static str>) {
    let mut i = 0;
    while i < bytes.len() {
        if is_stream_keyword(bytes, i) {
            match find(&bytes[i + 6..], b"endstream") {
                Some(end) => {
                    i += 6 + end + 9;
                    continue;
                }
                None => return,
            }
        }
        if bytes[i] == b'/' {
            let mut name = Vec::new();
            let mut j = i + 1;
            while j < bytes.len() && is_pdf_regular(bytes[j]) {
                if bytes[j] != b'#' {
                    name.push(bytes[j]);
                    j += 1;
                    continue;
                }
                // `#` and two hex digits stand for one byte; any other `#` ends the name (as
                // in lopdf, so both see the same names).
                let hex = |k: usize| bytes.get(k).copied().and_then(hex_value);
                let (Some(high), Some(low)) = (hex(j + 1), hex(j + 2)) else {
                    break;
                };
                name.push(high * 16 + low);
                j += 3;
            }
            note_name(&name, found);
            i = j;
            continue;
        }
        i += 1;
    }
}

/// `stream` as the keyword that opens a body: right after a dictionary's `>>` (whitespace
/// allowed between) and followed by an end of line, so a name such as `/stream` or a word in
/// a string does not make the scan skip ahead.
fn is_stream_keyword(bytes: &[u8], i: usize) -> bool {
    bytes[i..].starts_with(b"stream")
        && matches!(bytes.get(i + 6), Some(b'\r' | b'\n'))
        && bytes[..i]
            .iter()
            .rev()
            .find(|&&b| !is_pdf_whitespace(b))
            .is_some_and(|&b| b == b'>')
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

// ---------------------------------------------------------------------------------------------
// Storage

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
        if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(object_store::Error::NotFound {
                path: "(invalid document hash)".into(),
                source: "a document hash is 64 hexadecimal digits".into(),
            });
        }
        self.store
            .get(&key(&sha256.to_ascii_lowercase()))
            .await?
            .bytes()
            .await
    }
}

/// `sha256/ab/cdef…` for a validated lower-case hex digest.
fn key(sha256: &str) -> StorePath {
    StorePath::from(format!("sha256/{}/{}", &sha256[..2], &sha256[2..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(bytes: &[u8]) -> Vec<&'static str> {
        let mut found = BTreeSet::new();
        scan_raw_names(bytes, &mut found);
        found.into_iter().collect()
    }

    #[test]
    fn raw_scan_decodes_escapes_and_ignores_lookalikes() {
        assert_eq!(raw(b"<< /S /J#61vaScript /J#53 (x) >>"), ["JavaScript"]);
        assert_eq!(raw(b"<</OpenAction[3 0 R]>>"), ["OpenAction"]);
        assert_eq!(
            raw(b"<< /AAA 1 /JSX 2 /OpenActions 3 /J#6 4 >>"),
            Vec::<&str>::new()
        );
        assert_eq!(raw(b"/Launch#"), ["Launch"]);
    }

    #[test]
    fn raw_scan_skips_stream_bodies_only() {
        let body = b"<< /Length 9 >>\nstream\n/JS /AA \nendstream\n/OpenAction";
        assert_eq!(raw(body), ["OpenAction"]);
        // `stream` that does not open a body does not hide what follows.
        assert_eq!(raw(b"/stream\n/JS (x) endstream"), ["JavaScript"]);
        assert_eq!(raw(b"(a stream\n) /Launch endstream"), ["Launch"]);
        // An unterminated body ends the scan without panicking.
        assert_eq!(raw(b"<<>>stream\n/JS"), Vec::<&str>::new());
    }

    #[test]
    fn jpeg_dimensions_walk_segments() {
        let mut jpeg = b"\xff\xd8\xff\xe0\x00\x04ab\xff\xff\xc2\x00\x0b\x08".to_vec();
        jpeg.extend_from_slice(&[0x01, 0x2c, 0x02, 0x58]); // height 300, width 600
        assert_eq!(jpeg_dimensions(&jpeg), Some((600, 300)));
        // DHT (C4) is not a frame header; SOS before any frame means none.
        assert_eq!(jpeg_dimensions(b"\xff\xd8\xff\xc4\x00\x02\xff\xda"), None);
        assert_eq!(jpeg_dimensions(b"\xff\xd8\xff\xe0\x00\x01"), None);
        assert_eq!(jpeg_dimensions(b"\xff\xd8"), None);
    }

    #[test]
    fn png_dimensions_need_ihdr_first() {
        let mut png = PNG_MAGIC.to_vec();
        png.extend_from_slice(b"\x00\x00\x00\x0dIHDR\x00\x00\x01\x00\x00\x00\x00\x80");
        assert_eq!(png_dimensions(&png), Some((256, 128)));
        png[12] = b'i';
        assert_eq!(png_dimensions(&png), None);
    }

    #[test]
    fn type_patterns() {
        assert!(type_matches("image/*", "image/png"));
        assert!(type_matches(" Application/PDF ", "application/pdf"));
        assert!(!type_matches("image/*", "application/pdf"));
        assert!(!type_matches("*", "image/png"));
        assert!(!type_matches("image/jp", "image/jpeg"));
    }
}
