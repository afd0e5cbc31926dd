//! Release lines (`vX.Y`) that `aigw migrate` moves manifests between.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Release {
    pub major: u32,
    pub minor: u32,
}

/// v0.1, the line aigw reads natively, and the source of every migration.
pub const V0_1: Release = Release::new(0, 1);
pub const V0_2: Release = Release::new(0, 2);
pub const V0_3: Release = Release::new(0, 3);
pub const V0_4: Release = Release::new(0, 4);
pub const V0_5: Release = Release::new(0, 5);
pub const V0_6: Release = Release::new(0, 6);
pub const V0_7: Release = Release::new(0, 7);
pub const V1_0: Release = Release::new(1, 0);
pub const V1_1: Release = Release::new(1, 1);

/// Every release a migration can target, oldest first.
pub const TARGETS: &[Release] = &[V0_2, V0_3, V0_4, V0_5, V0_6, V0_7, V1_0, V1_1];

/// The default target: the newest built-in release.
pub const NEWEST: Release = V1_1;

impl Release {
    pub const fn new(major: u32, minor: u32) -> Self {
        Release { major, minor }
    }

    /// `v1.1`, `1.1` or `v1.1.0` (the patch is ignored: manifests change
    /// only between minor releases).
    pub fn parse(text: &str) -> Option<Release> {
        let text = text.trim();
        let text = text.strip_prefix('v').unwrap_or(text);
        let mut parts = text.split('.');
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next()?.parse().ok()?;
        match parts.next() {
            None => {}
            Some(patch) if patch.parse::<u32>().is_ok() && parts.next().is_none() => {}
            Some(_) => return None,
        }
        Some(Release { major, minor })
    }
}

impl fmt::Display for Release {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}.{}", self.major, self.minor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_users_write() {
        assert_eq!(Release::parse("v1.1"), Some(V1_1));
        assert_eq!(Release::parse("0.4"), Some(V0_4));
        assert_eq!(Release::parse("v0.1.5"), Some(V0_1));
        assert_eq!(Release::parse("v1"), None);
        assert_eq!(Release::parse("v1.1.x"), None);
        assert!(V0_3 < V1_0);
        assert_eq!(V0_7.to_string(), "v0.7");
    }
}
