//! How the process asks the kernel for memory: in 4 KiB pages, never
//! transparent huge pages.
//!
//! mimalloc asks for huge pages for its arenas (`madvise`), so they came
//! whatever the host's THP setting, and the first ones were faulted in
//! before `main`: the kernel zeroed 4 to 6 MiB for a one-route run, a
//! sixth of its time. aigw is built with mimalloc's `no_thp` (no such
//! request), and [`use_small_pages`], run from the binary's
//! `.preinit_array` before any other initialiser (src/main.rs), turns
//! them off for the process, so a host that sets THP to `always` gives none
//! either. Measured on the benchmark corpus (medians of interleaved runs
//! of the binary before and after, on a host whose THP setting is
//! `madvise` and again with `always`):
//!
//! | input | time | peak RSS |
//! |---|---|---|
//! | 1 route | 9% to 15% less | 9 against 14 MiB |
//! | 100 routes | the same | 14 against 17 MiB |
//! | 1,000 routes | the same to 5% more | 50 against 83 to 88 MiB |
//! | 5,000 routes | 1% to 2% more | 190 against 194 MiB |
//!
//! Another host once measured huge pages 4% to 12% faster between 1,000
//! and 5,000 routes, which is why they were kept for inputs of 2 to 16 MiB;
//! that did not hold here, and one setting for every input keeps the
//! memory a run needs the same on every host, which a pod's memory limit
//! depends on.

/// Turns transparent huge pages off for this process: what it maps from
/// now on takes 4 KiB pages (pages already touched keep their size).
pub fn use_small_pages() {
    disable_huge_pages();
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

    /// The switch itself (it cannot be turned back on in this process).
    /// tests/binary.rs checks that the binary throws it before it maps
    /// anything.
    #[test]
    fn small_pages_turn_huge_pages_off() {
        if thp_enabled().is_none() {
            eprintln!("SKIPPED: the kernel does not report THP_enabled");
            return;
        }
        use_small_pages();
        assert_eq!(thp_enabled(), Some(false));
    }
}
