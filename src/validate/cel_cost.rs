//! Placeholder until the CEL checker lands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CelCostError {
    Parse(String),
}
impl std::fmt::Display for CelCostError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CelCostError::Parse(m) => f.write_str(m),
        }
    }
}
pub fn check_cost_expression(_expr: &str) -> Result<(), CelCostError> {
    Ok(())
}
