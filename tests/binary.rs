//! Properties of the built binary itself, which the start-up time rests on.

/// build.rs links aigw without PIE: the dynamic loader then has no
/// relative relocations to apply to the static schema data at each start
/// (two thirds of the page faults of a one-route run).
#[cfg(target_os = "linux")]
#[test]
fn the_binary_is_not_position_independent() {
    let bytes = std::fs::read(env!("CARGO_BIN_EXE_aigw")).unwrap_or_default();
    // ELF header: the magic, then e_type (little-endian u16) at offset 16.
    assert_eq!(bytes.get(..4), Some(&b"\x7fELF"[..]));
    let e_type = bytes
        .get(16..18)
        .and_then(|t| <[u8; 2]>::try_from(t).ok())
        .map(u16::from_le_bytes);
    const ET_EXEC: u16 = 2;
    assert_eq!(e_type, Some(ET_EXEC), "ET_DYN (3) is a PIE");
}

/// src/memory.rs: no transparent huge pages, not even the allocator's first
/// arena, mapped before `main` turns them off. Checked on a running render
/// that waits for its standard input.
#[cfg(target_os = "linux")]
#[test]
fn the_binary_maps_no_huge_pages() {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    let field = |text: &str, name: &str| -> Option<String> {
        let line = text.lines().find(|l| l.starts_with(name))?;
        Some(line.get(name.len()..)?.trim().to_string())
    };
    let Ok(mut child) = Command::new(env!("CARGO_BIN_EXE_aigw"))
        .args(["render", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    else {
        panic!("aigw did not start");
    };
    let proc_dir = format!("/proc/{}", child.id());
    let read =
        |file: &str| std::fs::read_to_string(format!("{proc_dir}/{file}")).unwrap_or_default();
    if field(&read("status"), "THP_enabled:").is_none() {
        let _ = child.kill();
        eprintln!("SKIPPED: the kernel does not report THP_enabled");
        return;
    }
    // Until main has run its first line (the process then waits on stdin).
    let start = Instant::now();
    while field(&read("status"), "THP_enabled:").as_deref() != Some("0")
        && start.elapsed() < Duration::from_secs(20)
    {
        std::thread::sleep(Duration::from_millis(5));
    }
    let thp = field(&read("status"), "THP_enabled:");
    let huge = field(&read("smaps_rollup"), "AnonHugePages:");
    drop(child.stdin.take());
    let _ = child.wait();
    assert_eq!(thp.as_deref(), Some("0"), "huge pages still allowed");
    assert_eq!(huge.as_deref(), Some("0 kB"), "huge pages mapped");
}
