//! PDFs: refused when they can act (JavaScript, actions, launches, embedded files) or cannot
//! be inspected; parsed with lopdf and scanned outside stream bodies.

use std::collections::BTreeSet;
use std::panic::{AssertUnwindSafe, catch_unwind};

use super::{Limits, UploadError};

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

pub(super) fn check_pdf(bytes: &[u8], limits: &Limits) -> Result<(), UploadError> {
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
}
