//! How the process asks the kernel for memory: huge pages or not, chosen
//! by the size of the input.
//!
//! With transparent huge pages the kernel backs the allocator's arenas
//! with 2 MiB pages: fewer page faults, at the cost of whole huge pages of
//! RSS. Measured on the benchmark corpus (medians of five runs each):
//!
//! | input | time with huge pages | peak RSS without / with |
//! |---|---|---|
//! | 100 routes, 0.35 MB | – | 19–20 / 30–43 MiB |
//! | 1,000 routes, 3.6 MB | 12% faster | 50 / 75–85 MiB |
//! | 2,000 routes, 7.1 MB | 7% faster | 79–88 / 109–115 MiB |
//! | 3,000 routes, 10.7 MB | 7% faster | 112–122 / 137–142 MiB |
//! | 5,000 routes, 17.8 MB | 4% faster | 181–189 / 203–211 MiB |
//! | 10,000 routes, 35.6 MB | 2% slower | 352–362 / 360–375 MiB |
//!
//! So a small run (a pre-commit hook, one Argo CD app), which has time to
//! spare and a memory limit, and a large one, where huge pages no longer
//! pay and a memory limit is near, run without; the runs between with.

/// Inputs up to this size run without huge pages.
pub const SMALL_INPUT: u64 = 2 << 20;

/// Inputs above this size run without huge pages.
pub const LARGE_INPUT: u64 = 16 << 20;

/// Turns huge pages off for this process unless the input is between
/// [`SMALL_INPUT`] and [`LARGE_INPUT`]. Pages touched so far keep their
/// size; what follows (the trees, the output) takes 4 KiB pages.
pub fn fit_to_input(bytes: u64) {
    if !wants_huge_pages(bytes) {
        disable_huge_pages();
    }
}

fn wants_huge_pages(bytes: u64) -> bool {
    (SMALL_INPUT + 1..=LARGE_INPUT).contains(&bytes)
}

#[cfg(target_os = "linux")]
fn disable_huge_pages() {
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and only sets a flag
    // of this process; it reads and writes no memory of ours.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(not(target_os = "linux"))]
fn disable_huge_pages() {}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// `THP_enabled` of /proc/self/status (Linux 5.0 on), if the kernel
    /// reports it.
    fn thp_enabled() -> Option<bool> {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let line = status.lines().find(|l| l.starts_with("THP_enabled:"))?;
        Some(line.split_whitespace().nth(1)? == "1")
    }

    #[test]
    fn only_a_middle_sized_input_wants_huge_pages() {
        for (bytes, wanted) in [
            (0, false),
            (SMALL_INPUT, false),
            (SMALL_INPUT + 1, true),
            (LARGE_INPUT, true),
            (LARGE_INPUT + 1, false),
            (u64::MAX, false),
        ] {
            assert_eq!(wants_huge_pages(bytes), wanted, "{bytes}");
        }
    }

    /// The switch itself (it cannot be turned back on in this process).
    #[test]
    fn an_input_that_wants_no_huge_pages_turns_them_off() {
        let Some(before) = thp_enabled() else {
            eprintln!("SKIPPED: the kernel does not report THP_enabled");
            return;
        };
        fit_to_input(SMALL_INPUT + 1);
        assert_eq!(thp_enabled(), Some(before));
        fit_to_input(LARGE_INPUT + 1);
        assert_eq!(thp_enabled(), Some(false));
    }
}
