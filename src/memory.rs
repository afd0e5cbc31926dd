//! How the process asks the kernel for memory: huge pages or not, chosen
//! by the size of the input.
//!
//! With transparent huge pages the kernel backs the allocator's arenas
//! with 2 MiB pages: a large run takes far fewer page faults and is about
//! a fifth faster at 1,000 routes, but a small run's peak RSS grows by
//! whole huge pages (30 to 43 MiB for 100 routes, from run to run, against
//! 19 to 20 MiB without). A small run (a pre-commit hook, one Argo CD app)
//! has time to spare and a memory limit; a large one (CI over a monorepo)
//! the other way round.

/// Inputs up to this size run without huge pages.
pub const SMALL_INPUT: u64 = 2 << 20;

/// Turns huge pages off for this process when the input is small. Pages
/// touched so far keep their size; what follows (the trees, the output)
/// takes 4 KiB pages.
pub fn fit_to_input(bytes: u64) {
    if bytes <= SMALL_INPUT {
        disable_huge_pages();
    }
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
    fn a_large_input_keeps_huge_pages_and_a_small_one_turns_them_off() {
        let Some(before) = thp_enabled() else {
            eprintln!("SKIPPED: the kernel does not report THP_enabled");
            return;
        };
        fit_to_input(SMALL_INPUT + 1);
        assert_eq!(thp_enabled(), Some(before));
        fit_to_input(1000);
        assert_eq!(thp_enabled(), Some(false));
    }
}
