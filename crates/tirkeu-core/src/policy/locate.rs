//! Where a problem sits in the file: the line and dotted path of a value, found from the
//! spans of the parsed TOML document.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

/// Serde names Rust types ("expected u32"); an administrator thinks in kinds of value.
pub(super) fn humanize(message: &str) -> String {
    let mut m = message.to_owned();
    for (rust, human) in [
        ("expected u32", "expected a whole number (0 or more)"),
        ("expected u64", "expected a whole number (0 or more)"),
        ("expected i16", "expected a year"),
        ("expected f64", "expected a number"),
        ("expected a boolean", "expected true or false"),
    ] {
        m = m.replace(rust, human);
    }
    m
}

/// 1-based line of a byte offset.
pub(super) fn line_of(src: &str, offset: usize) -> usize {
    src.get(..offset).unwrap_or(src).matches('\n').count() + 1
}

/// The span of the value at a dotted path like `permit_types[2].documents[0].id`; the
/// nearest enclosing value's span when the exact one does not exist (a missing key).
pub(super) fn span_of(root: &DeTable<'_>, path: &str) -> Option<Range<usize>> {
    let mut table = Some(root);
    let mut value: Option<&toml::Spanned<DeValue<'_>>> = None;
    let mut best = None;
    for part in path.split('.') {
        let (key, indexes) = match part.split_once('[') {
            Some((k, rest)) => (
                k,
                rest.split('[')
                    .filter_map(|i| i.trim_end_matches(']').parse::<usize>().ok())
                    .collect(),
            ),
            None => (part, Vec::new()),
        };
        if let Some(v) = value {
            table = match v.get_ref() {
                DeValue::Table(t) => Some(t),
                _ => None,
            };
        }
        let found = table?.iter().find(|(k, _)| k.get_ref() == key);
        let Some((k, v)) = found else {
            return best;
        };
        best = Some(k.span());
        let mut v = v;
        for i in indexes {
            match v.get_ref() {
                DeValue::Array(a) => match a.get(i) {
                    Some(item) => v = item,
                    None => return best,
                },
                _ => return best,
            }
        }
        if v.span().start != v.span().end {
            best = Some(v.span());
        }
        value = Some(v);
    }
    best
}

/// The dotted path of the innermost key or value whose span contains `offset`.
///
/// Every node is visited because the span of a `[[table]]` covers only its header line, not
/// its body; the smallest containing span is the most precise.
pub(super) fn path_at(root: &DeTable<'_>, offset: usize) -> String {
    fn visit(v: &DeValue<'_>, offset: usize, path: &str, best: &mut Option<(usize, String)>) {
        fn consider(
            span: Range<usize>,
            offset: usize,
            path: String,
            best: &mut Option<(usize, String)>,
        ) {
            let contains = span.contains(&offset) || (span.is_empty() && span.start == offset);
            if contains && best.as_ref().is_none_or(|(len, _)| span.len() <= *len) {
                *best = Some((span.len(), path));
            }
        }
        match v {
            DeValue::Table(t) => {
                for (k, val) in t {
                    let p = if path.is_empty() {
                        k.get_ref().to_string()
                    } else {
                        format!("{path}.{}", k.get_ref())
                    };
                    consider(k.span(), offset, p.clone(), best);
                    consider(val.span(), offset, p.clone(), best);
                    visit(val.get_ref(), offset, &p, best);
                }
            }
            DeValue::Array(a) => {
                for (i, item) in a.iter().enumerate() {
                    let p = format!("{path}[{i}]");
                    consider(item.span(), offset, p.clone(), best);
                    visit(item.get_ref(), offset, &p, best);
                }
            }
            _ => {}
        }
    }
    let mut best = None;
    for (k, v) in root {
        let p = k.get_ref().to_string();
        if k.span().contains(&offset) || v.span().contains(&offset) {
            best = Some((v.span().len().max(k.span().len()), p.clone()));
        }
        visit(v.get_ref(), offset, &p, &mut best);
    }
    best.map(|(_, p)| p).unwrap_or_default()
}
