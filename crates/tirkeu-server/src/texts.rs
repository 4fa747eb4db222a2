//! Short texts the API returns to applicants, looked up in `locales/*/status.ftl`.
//!
//! The texts take no parameters, so each is formatted once, on first use, and kept for the
//! life of the process: callers get a `&'static str` and need no allocation per request.

use std::collections::HashMap;
use std::sync::LazyLock;

use tirkeu_core::lifecycle::State;
use tirkeu_core::text::Lang;

use crate::i18n;

/// The Fluent id of what happens next in `state`: `status-next-` and the state's API name.
pub fn next_step_id(state: State) -> String {
    format!("status-next-{}", state.as_str())
}

/// The Fluent ids of the next steps printed on a receipt, in order.
pub const RECEIPT_STEP_IDS: [&str; 3] = [
    "status-receipt-step-keep",
    "status-receipt-step-check",
    "status-receipt-step-notice",
];

static NEXT_STEPS: LazyLock<HashMap<(State, Lang), String>> = LazyLock::new(|| {
    let mut out = HashMap::new();
    for &state in State::ALL {
        for lang in Lang::ALL {
            out.insert((state, lang), i18n::text(lang, &next_step_id(state)));
        }
    }
    out
});

/// What happens next, for an application in `state`.
pub fn next_step(state: State, lang: Lang) -> &'static str {
    NEXT_STEPS.get(&(state, lang)).map_or("", String::as_str)
}

/// The next steps printed on a receipt.
pub fn receipt_steps(lang: Lang) -> Vec<String> {
    RECEIPT_STEP_IDS
        .iter()
        .map(|id| i18n::text(lang, id))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_has_a_step_in_every_language() {
        for &s in State::ALL {
            assert!(i18n::has(&next_step_id(s)), "{s}");
            for l in Lang::ALL {
                let text = next_step(s, l);
                assert!(!text.is_empty() && !text.contains("status-"), "{s} {l}");
            }
        }
        assert_eq!(
            next_step(State::InReview, Lang::Ru),
            "Заявление рассматривает сотрудник."
        );
    }

    #[test]
    fn a_receipt_has_three_steps_in_every_language() {
        for id in RECEIPT_STEP_IDS {
            assert!(i18n::has(id), "{id}");
        }
        for l in Lang::ALL {
            let steps = receipt_steps(l);
            assert_eq!(steps.len(), 3);
            assert!(
                steps
                    .iter()
                    .all(|s| !s.is_empty() && !s.contains("status-"))
            );
        }
        assert_eq!(receipt_steps(Lang::Zh)[0], "请保存申请编号和访问码。");
    }
}
