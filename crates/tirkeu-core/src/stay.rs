// TEMP stub until the helper delivers
use serde::{Deserialize, Serialize};
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StayRule {
    pub limit_days: u32,
    pub window_days: u32,
    pub per_entry_days: Option<u32>,
}
