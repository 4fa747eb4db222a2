//! PDFs: refused when they can act (JavaScript, actions, launches) or carry files (embedded,
//! associated or related files), or cannot be inspected; parsed with lopdf and scanned byte by
//! byte outside stream bodies, object streams included.

use std::collections::BTreeSet;
use std::io::Read;
use std::panic::{AssertUnwindSafe, catch_unwind};

use super::{Limits, UploadError};

/// Names that make a PDF act rather than show, or carry a file, and the label we report them
/// under. Any of them anywhere refuses the file: as a dictionary key, as a value (`/S /Launch`),
/// plain or written with `#xx` escapes, in an ordinary object or inside an object stream.
/// `URI` links are allowed: they are common in bank statements and need a click. `OpenAction`
/// is allowed only with a destination array (`[3 0 R /Fit]`, as word processors write it),
/// which can only show a page; an action there is refused.
const ACTIVE_NAMES: &[(&[u8], &str)] = &[
    (b"JavaScript", "JavaScript"),
    (b"JS", "JavaScript"),
    (b"OpenAction", "OpenAction"),
    (b"AA", "AA"),
    (b"Launch", "Launch"),
    // Files inside the PDF: the embedded-file stream type, the name tree of attachments, the
    // attachment annotation, and the keys of a file specification that hold a file (`EF`),
    // related files (`RF`) and a document's or object's associated files (`AF`, PDF 2.0 and
    // PDF/A-3). A file specification with `/EF` needs no `/Type /EmbeddedFile` to carry one.
    (b"EmbeddedFile", "EmbeddedFile"),
    (b"EmbeddedFiles", "EmbeddedFile"),
    (b"FileAttachment", "EmbeddedFile"),
    (b"EF", "EmbeddedFile"),
    (b"RF", "EmbeddedFile"),
    (b"AF", "EmbeddedFile"),
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

const ENCRYPTED: &str = "encrypted PDFs are not accepted";

/// Screens a PDF: `Ok` when it shows pages and can do nothing else. The caller has checked
/// that it starts with `%PDF-` and is within `limits.max_bytes`.
pub(super) fn check_pdf(bytes: &[u8], limits: &Limits) -> Result<(), UploadError> {
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    let Some(eof) = rfind(tail, b"%%EOF") else {
        return Err(UploadError::BadPdf("no %%EOF marker at the end".into()));
    };
    // Polyglots: a PDF is stored as uploaded, so it must not also be another kind of file. A
    // ZIP (or JAR, docx) is read from its end-of-central-directory record, which sits in the
    // last 22 + 65,535 (comment) bytes wherever the rest of it hides; HTML or a script is
    // usually appended after `%%EOF`, where PDF readers ignore it.
    if find(
        &bytes[bytes.len().saturating_sub(22 + 65_535)..],
        b"PK\x05\x06",
    )
    .is_some()
    {
        return Err(UploadError::Archive("zip"));
    }
    if !tail[eof + 5..].iter().all(|&b| is_pdf_whitespace(b)) {
        return Err(UploadError::BadPdf("data after the end of the PDF".into()));
    }

    let mut raw = RawScan::new(limits.max_alloc);
    raw.scan(bytes, false);
    let mut found = raw.found;
    if let Some(why) = raw.unreadable {
        // Refused before the parser would inflate the same streams again.
        return Err(if !found.is_empty() {
            UploadError::ActivePdf(found.into_iter().collect())
        } else if raw.encrypted {
            UploadError::BadPdf(ENCRYPTED.into())
        } else {
            UploadError::BadPdf(why.into())
        });
    }

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
        return Err(UploadError::BadPdf(ENCRYPTED.into()));
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
                let destination = key == b"OpenAction" && matches!(value, Object::Array(_));
                if !destination {
                    note_name(key, found);
                }
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

/// The byte scan: names (`/Name`, decoding `#xx`) everywhere outside stream bodies, and inside
/// the bodies of object streams, inflated. Conservative: a name inside a string or comment also
/// counts. Other stream bodies are skipped because binary data (scanned pages) contains `/AA`
/// and the like by chance. It sees objects the parser skips (orphans, shadowed duplicates,
/// object streams no cross-reference lists) that another reader might still resolve.
struct RawScan {
    found: BTreeSet<&'static str>,
    /// Bytes that object streams may still inflate to, over the whole file.
    inflate_budget: u64,
    /// Why an object stream could not be inspected, if one could not: the file is refused.
    unreadable: Option<&'static str>,
    /// An `/Encrypt` name was seen (to say why an unreadable file is unreadable).
    encrypted: bool,
}

/// Inflated object streams are scanned this many bytes at a time, so a bomb costs time
/// within the budget but no memory.
const INFLATE_CHUNK: usize = 64 * 1024;

/// What the names of the object being read say about its stream, if it has one.
#[derive(Default)]
struct StreamDict {
    object_stream: bool,
    /// A `/Filter` key was seen, and the filters it names.
    filter_key: bool,
    filters: Vec<Vec<u8>>,
    decode_parms: bool,
}

impl StreamDict {
    fn note(&mut self, name: &[u8]) {
        match name {
            b"ObjStm" => self.object_stream = true,
            b"Filter" => self.filter_key = true,
            b"DecodeParms" | b"DP" => self.decode_parms = true,
            _ if name.ends_with(b"Decode")
                || matches!(
                    name,
                    b"Crypt" | b"AHx" | b"A85" | b"LZW" | b"Fl" | b"RL" | b"CCF" | b"DCT"
                ) =>
            {
                self.filters.push(name.to_vec());
            }
            _ => {}
        }
    }
}

impl RawScan {
    fn new(inflate_budget: u64) -> Self {
        Self {
            found: BTreeSet::new(),
            inflate_budget,
            unreadable: None,
            encrypted: false,
        }
    }

    /// Scans `bytes`; inside an inflated object stream there are no stream bodies to skip
    /// (object streams hold no streams), so everything there is read.
    fn scan(&mut self, bytes: &[u8], inside_object_stream: bool) {
        let mut dict = StreamDict::default();
        let mut i = 0;
        while i < bytes.len() {
            if !inside_object_stream && is_stream_keyword(bytes, i) {
                let Some(end) = find(&bytes[i + 6..], b"endstream") else {
                    return;
                };
                let body_start = i
                    + 6
                    + if bytes[i + 6..].starts_with(b"\r\n") {
                        2
                    } else {
                        1
                    };
                let body = bytes.get(body_start..i + 6 + end).unwrap_or_default();
                if dict.object_stream {
                    self.object_stream(body, &dict);
                }
                dict = StreamDict::default();
                i += 6 + end + 9;
                continue;
            }
            if bytes[i..].starts_with(b"endobj") {
                dict = StreamDict::default();
            }
            if bytes[i] == b'/' {
                let (name, next) = read_name(bytes, i + 1);
                let destination = name == b"OpenAction"
                    && bytes[next..]
                        .iter()
                        .find(|&&b| !is_pdf_whitespace(b))
                        .is_some_and(|&b| b == b'[');
                if !destination {
                    note_name(&name, &mut self.found);
                }
                self.encrypted |= name == b"Encrypt";
                dict.note(&name);
                i = next;
                continue;
            }
            i += 1;
        }
    }

    /// Scans an object stream's body: as it is without a filter, inflated with `FlateDecode`
    /// alone (what generators write). Any other encoding makes the file unreadable to us,
    /// not silently unscanned.
    fn object_stream(&mut self, body: &[u8], dict: &StreamDict) {
        match dict.filters.as_slice() {
            [] if !dict.filter_key => self.scan(body, true),
            [f] if f == b"FlateDecode" && !dict.decode_parms => self.scan_inflated(body),
            _ => {
                self.unreadable =
                    Some("an object stream is encoded in a way that cannot be inspected");
            }
        }
    }

    /// Inflates `body` chunk by chunk within the budget, scanning as it goes; a name cut by
    /// a chunk's end is scanned whole with the next chunk.
    fn scan_inflated(&mut self, body: &[u8]) {
        let mut decoder = flate2::read::ZlibDecoder::new(body);
        let mut chunk = vec![0u8; INFLATE_CHUNK];
        let mut pending: Vec<u8> = Vec::new();
        loop {
            let n = match decoder.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => n,
                Err(_) => {
                    self.unreadable = Some("an object stream cannot be decompressed");
                    return;
                }
            };
            let len = u64::try_from(n).unwrap_or(u64::MAX);
            if len > self.inflate_budget {
                self.unreadable = Some("object streams decompress beyond the limit");
                return;
            }
            self.inflate_budget -= len;
            pending.extend_from_slice(&chunk[..n]);
            let keep = unfinished_name(&pending);
            self.scan(&pending[..keep], true);
            pending.drain(..keep);
        }
        self.scan(&pending, true);
    }
}

/// Where the last name of `bytes` starts when it (and any whitespace after it) reaches the
/// end, so that more of it, or the `[` after `/OpenAction`, may follow; else `bytes.len()`.
/// A run longer than a chunk is scanned as it is (a name that long is no name we look for,
/// and `/OpenAction` followed by that much whitespace counts as an action).
fn unfinished_name(bytes: &[u8]) -> usize {
    match bytes.iter().rposition(|&b| b == b'/') {
        Some(at)
            if bytes.len() - at <= INFLATE_CHUNK
                && bytes[at + 1..]
                    .iter()
                    .all(|&b| is_pdf_regular(b) || is_pdf_whitespace(b)) =>
        {
            at
        }
        _ => bytes.len(),
    }
}

/// The name that starts at `start` (just after its `/`), with `#xx` decoded, and where it
/// ends.
fn read_name(bytes: &[u8], start: usize) -> (Vec<u8>, usize) {
    let mut name = Vec::new();
    let mut j = start;
    while j < bytes.len() && is_pdf_regular(bytes[j]) {
        if bytes[j] != b'#' {
            name.push(bytes[j]);
            j += 1;
            continue;
        }
        // `#` and two hex digits stand for one byte; any other `#` ends the name (as in
        // lopdf, so both see the same names).
        let hex = |k: usize| bytes.get(k).copied().and_then(hex_value);
        let (Some(high), Some(low)) = (hex(j + 1), hex(j + 2)) else {
            break;
        };
        name.push(high * 16 + low);
        j += 3;
    }
    (name, j)
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

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(bytes: &[u8]) -> Vec<&'static str> {
        let mut scan = RawScan::new(1 << 20);
        scan.scan(bytes, false);
        scan.found.into_iter().collect()
    }

    #[test]
    fn raw_scan_decodes_escapes_and_ignores_lookalikes() {
        assert_eq!(raw(b"<< /S /J#61vaScript /J#53 (x) >>"), ["JavaScript"]);
        assert_eq!(raw(b"<</OpenAction<</S/GoTo>>>>"), ["OpenAction"]);
        assert_eq!(raw(b"<</OpenAction 5 0 R>>"), ["OpenAction"]);
        // A destination only shows a page.
        assert_eq!(raw(b"<</OpenAction[3 0 R]>>"), Vec::<&str>::new());
        assert_eq!(
            raw(b"<</Open#41ction \n [3 0 R /Fit]>>"),
            Vec::<&str>::new()
        );
        assert_eq!(
            raw(b"<< /AAA 1 /JSX 2 /OpenActions 3 /J#6 4 >>"),
            Vec::<&str>::new()
        );
        assert_eq!(raw(b"/Launch#"), ["Launch"]);
    }

    fn inflated_scan(data: &[u8]) -> (Vec<&'static str>, Option<&'static str>) {
        use std::io::Write;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(data).unwrap();
        let mut scan = RawScan::new(1 << 20);
        scan.scan_inflated(&z.finish().unwrap());
        (scan.found.into_iter().collect(), scan.unreadable)
    }

    #[test]
    fn inflated_names_cut_by_a_chunk_end_are_seen_whole() {
        for at in INFLATE_CHUNK - 14..INFLATE_CHUNK + 2 {
            let mut data = vec![b' '; at];
            data.extend_from_slice(b"/J#61vaScript /OpenAction\n[3 0 R /Fit]");
            assert_eq!(inflated_scan(&data), (vec!["JavaScript"], None), "at {at}");
            let mut data = vec![b' '; at];
            data.extend_from_slice(b"/OpenAction 9 0 R /Name");
            assert_eq!(inflated_scan(&data), (vec!["OpenAction"], None), "at {at}");
        }
    }

    #[test]
    fn inflating_stops_at_the_budget() {
        let (found, why) = inflated_scan(&vec![b' '; (1 << 20) + 1]);
        assert!(found.is_empty());
        assert_eq!(why, Some("object streams decompress beyond the limit"));
        assert_eq!(inflated_scan(&vec![b' '; 1 << 20]), (vec![], None));
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
}
