//! Fees and fines: fixed amounts in tenge or multiples of the monthly calculation index (MCI).
//!
//! Kazakh law states most fines and many fees in MCI (МРП), whose value in tenge is set each
//! year by the budget law. An amount is therefore converted for a *date*: the MCI of that
//! date's year applies. Multiples are kept in hundredths so that the arithmetic is exact.

use std::collections::BTreeMap;
use std::fmt;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// A fee or fine as the policy states it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", deny_unknown_fields)]
pub enum Amount {
    /// A fixed amount in tenge.
    Kzt(u64),
    /// A multiple of the monthly calculation index (may be fractional, e.g. 0.5).
    Mci(f64),
}

impl Amount {
    /// The MCI multiple in hundredths, or `None` when it is negative, not finite, or has more
    /// than two decimals (the law never uses finer multiples).
    pub fn mci_hundredths(self) -> Option<u64> {
        match self {
            Amount::Kzt(_) => Some(0),
            Amount::Mci(m) => {
                if !(0.0..=1_000_000.0).contains(&m) {
                    return None;
                }
                let h = (m * 100.0).round();
                // Bounded above, non-negative and integral, so the cast is exact.
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                ((m * 100.0 - h).abs() < 1e-6).then_some(h as u64)
            }
        }
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Amount::Kzt(k) => write!(f, "{k} KZT"),
            Amount::Mci(m) => write!(f, "{m} MCI"),
        }
    }
}

/// Why an amount could not be converted to tenge.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("the policy has no MCI value for {year}")]
    NoMciForYear { year: i16 },
    #[error("the MCI multiple {0} is not a non-negative number with at most two decimals")]
    BadMultiple(String),
}

/// The yearly values of the monthly calculation index, in tenge.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MciTable {
    by_year: BTreeMap<i16, u64>,
}

impl MciTable {
    /// A table from `(year, tenge)` pairs; a later pair for the same year wins.
    pub fn new(values: impl IntoIterator<Item = (i16, u64)>) -> Self {
        MciTable {
            by_year: values.into_iter().collect(),
        }
    }

    /// The MCI in tenge for the year of `date`.
    pub fn value_on(&self, date: Date) -> Result<u64, MoneyError> {
        self.by_year
            .get(&date.year())
            .copied()
            .ok_or(MoneyError::NoMciForYear { year: date.year() })
    }

    /// `amount` in whole tenge on `date`, rounded half up.
    pub fn to_kzt(&self, amount: Amount, date: Date) -> Result<u64, MoneyError> {
        match amount {
            Amount::Kzt(k) => Ok(k),
            Amount::Mci(m) => {
                let hundredths = amount
                    .mci_hundredths()
                    .ok_or_else(|| MoneyError::BadMultiple(m.to_string()))?;
                let mci = self.value_on(date)?;
                Ok((hundredths * mci + 50) / 100)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn table() -> MciTable {
        MciTable::new([(2025, 3932), (2026, 4325)])
    }

    #[test]
    fn converts_multiples_with_the_year_of_the_date() {
        let t = table();
        assert_eq!(
            t.to_kzt(Amount::Mci(10.0), date(2025, 12, 31)).unwrap(),
            39_320
        );
        assert_eq!(
            t.to_kzt(Amount::Mci(10.0), date(2026, 1, 1)).unwrap(),
            43_250
        );
        // 0.5 × 3,932 = 1,966 exactly; 0.25 × 4,325 = 1,081.25 → 1,081; 0.5 × 4,325 = 2,162.5 → 2,163.
        assert_eq!(t.to_kzt(Amount::Mci(0.5), date(2025, 6, 1)).unwrap(), 1_966);
        assert_eq!(
            t.to_kzt(Amount::Mci(0.25), date(2026, 6, 1)).unwrap(),
            1_081
        );
        assert_eq!(t.to_kzt(Amount::Mci(0.5), date(2026, 6, 1)).unwrap(), 2_163);
        assert_eq!(
            t.to_kzt(Amount::Kzt(5_000), date(1999, 1, 1)).unwrap(),
            5_000
        );
    }

    #[test]
    fn refuses_unknown_years_and_bad_multiples() {
        let t = table();
        assert_eq!(
            t.to_kzt(Amount::Mci(1.0), date(2030, 1, 1)),
            Err(MoneyError::NoMciForYear { year: 2030 })
        );
        assert!(t.to_kzt(Amount::Mci(-1.0), date(2025, 1, 1)).is_err());
        assert!(t.to_kzt(Amount::Mci(0.125), date(2025, 1, 1)).is_err());
        assert!(t.to_kzt(Amount::Mci(f64::NAN), date(2025, 1, 1)).is_err());
        assert_eq!(Amount::Mci(0.1).mci_hundredths(), Some(10));
    }
}
