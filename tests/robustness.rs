//! Deterministic, dependency-free robustness test: every prefix of a set of tricky inputs plus
//! a few thousand seeded random mutations must parse without panicking, deterministically,
//! with every span inside the source and on char boundaries. Also replays every input in
//! `fixtures/fuzz-regressions/` (minimised crashes found by `fuzz/`).

mod span_check;

use span_check::check_bytes;

/// Inputs that sit on the parser's edges: directives, escapes, continuations, heredocs,
/// JSON, quoting, variables, multi-byte characters next to every special character.
const TRICKY: &[&str] = &[
    "",
    "\u{feff}",
    "\u{feff}# syntax=docker/dockerfile:1\n# escape=`\nFROM a\nRUN dir c:\\ `\n  && echo é\n",
    "# escape=\\\n# check=skip=all\n# escape=`\nFROM a\n",
    "#escape =  `\r\nFROM mcr.microsoft.com/windows:ltsc2022\r\nRUN echo `\r\n  hi\r\n",
    "# escape=x\nFROM a\n",
    "FROM --platform=$BUILDPLATFORM registry:5000/a/b:1.0@sha256:abc AS build\n",
    "FROM ${REG:-docker.io}/lib/${IMG}:${TAG:?x} as Ünïcødé\nFROM build\n",
    "FROM\nFROM a AS\nFROM a b c\nARG\nCOPY a\n",
    "ARG A=1 B C=\"two words\"\nFROM a\nARG A\nENV A=$A B=${A}x C=\"q\\\"uote\" D=a\\ b\n",
    "ENV legacy value with spaces\nENV K\nLABEL \"key with space\"=v 'k2'='v2' k3=\n",
    "RUN --mount=type=cache,target=/root/.cache,id=a=b --mount=type=secret,id=s \\\n  --network=none apt-get update\n",
    "RUN --link --unknown=1 -- echo\nCOPY --from=build --chown=1:1 --chmod=755 a b /c/\n",
    "RUN [\"sh\", \"-c\", \"echo \\u00e9 \\\"q\\\" \\\\ \\/\"]\nCMD []\nCMD [1, \"a\"]\nCMD ['x']\n",
    "ENTRYPOINT [\"a\",\nCMD [\"a\" \"b\"]\nSHELL sh -c\nSHELL [\"pwsh\", \"-c\"]\nRUN Write-Host hi\n",
    "RUN <<EOF\necho hi\nEOF\nRUN <<-'EOT' cat > f <<\"E2\"\n\tbody\n\tEOT\nx\nE2\n",
    "COPY <<EOF /dst\nRUN not an instruction\n# not a comment\nEOF\n",
    "RUN 3<<EOF cat <&3\nx\nEOF\nRUN << EOF\nbody\nEOF\nRUN cat <<<word\n",
    "RUN <<EOF\nunterminated",
    "RUN <<\"EOF\nx\nEOF\nRUN <<'' x\n\n",
    "ONBUILD RUN <<EOF\nx\nEOF\nONBUILD ONBUILD RUN x\nONBUILD\nONBUILD FROM a\n",
    "HEALTHCHECK NONE\nHEALTHCHECK --interval=5s --retries=3 CMD curl -f http://x/ || exit 1\nHEALTHCHECK CMD [\"a\"]\nHEALTHCHECK\nHEALTHCHECK FOO\n",
    "EXPOSE 80/tcp 443 ${P}/udp\nVOLUME [\"/a\", \"/b\"]\nVOLUME /c /d\nUSER a:b\nWORKDIR /é\nSTOPSIGNAL SIGTERM\nMAINTAINER me <me@x>\n",
    "FROM a\nRUN echo a \\\n# comment inside\n\n   \n  b \\\n",
    "COPY a c:\\\nRUN dir\n",
    "RUN echo \\\\\nRUN echo \\ \t\nRUN x\\",
    "FROM a\r\nRUN a \\\r\n b\r\n\r\n",
    "  frOm a\n\trun  echo  'single \"quoted' \"double 'quoted\" $(sub $(nested)) `back` ${x:-${y}}\n",
    "RUN ( ( cd / && ls ) ) | { cat; } > out 2>&1 >> app < in; echo $((1+2)) & wait\n",
    "RUN if [ -f x ]; then echo; fi; for i in 1 2; do :; done; case $x in a) ;; esac\n",
    "RUN echo ${A:-é} ${B#*/} ${C%%.*} ${D//a/b} ${E:+x} ${F?} $1 $@ $$ ${#G} ${\n",
    "FOO bar baz\nFR0M a\nrun\n#\n# comment\n#\n",
    "RUN echo 'é' \"𝄞\" 日本語 é\\\né\nRUN é<<é\né\né\n",
    "RUN \u{1a}\u{1a} <<\u{1a}\n\u{1a}\n",
    "\n\n\n   \n\t\n# only comments\n",
    "RUN echo \"unterminated\nRUN echo 'also\nRUN echo $(\nRUN echo ${\nRUN echo `\n",
    "ADD --checksum=sha256:0 --keep-git-dir https://x/y.git /z\nADD [\"a\", \"b\"]\nCOPY [\"a\"]\n",
];

/// Bytes the mutator likes to insert: every character the parser treats specially, plus
/// pieces of multi-byte UTF-8 sequences.
const ALPHABET: &[u8] =
    b"\\`\n\r\t \"'$\\{}()[]<-#=,:@/|&;>*\xc3\xa9\xf0\x9d\x84\x9e\xff\x00EOFRUNarg";

/// A tiny linear congruential generator (Knuth's MMIX constants).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn mutate(rng: &mut Lcg, input: &mut Vec<u8>) {
    for _ in 0..=rng.below(4) {
        let len = input.len();
        match rng.below(7) {
            0 if len > 0 => {
                let i = rng.below(len);
                input[i] ^= 1 << rng.below(8);
            }
            1 | 2 => {
                let i = rng.below(len + 1);
                input.insert(i, ALPHABET[rng.below(ALPHABET.len())]);
            }
            3 if len > 0 => {
                let i = rng.below(len);
                let n = rng.below((len - i).min(16)) + 1;
                input.drain(i..i + n);
            }
            4 if len > 0 => {
                let i = rng.below(len);
                let n = rng.below((len - i).min(32)) + 1;
                let piece = input[i..i + n].to_vec();
                let at = rng.below(len + 1);
                input.splice(at..at, piece);
            }
            5 => {
                let other = TRICKY[rng.below(TRICKY.len())].as_bytes();
                if !other.is_empty() {
                    let i = rng.below(other.len());
                    let n = rng.below((other.len() - i).min(48)) + 1;
                    let at = rng.below(len + 1);
                    input.splice(at..at, other[i..i + n].iter().copied());
                }
            }
            _ => {
                let i = rng.below(len + 1);
                input.insert(i, b'\n');
            }
        }
    }
}

#[test]
fn every_prefix_of_tricky_inputs() {
    for input in TRICKY {
        let bytes = input.as_bytes();
        for end in 0..=bytes.len() {
            check_bytes(&bytes[..end]);
        }
    }
}

#[test]
fn all_tricky_inputs_together() {
    check_bytes(TRICKY.concat().as_bytes());
}

#[test]
fn seeded_random_mutations() {
    let mut rng = Lcg(0x0d0c_4d0c_2024);
    for round in 0..4000 {
        let mut input = TRICKY[round % TRICKY.len()].as_bytes().to_vec();
        for _ in 0..=rng.below(3) {
            mutate(&mut rng, &mut input);
        }
        check_bytes(&input);
    }
}

/// Every input in `fixtures/fuzz-regressions/` must pass, except the known open findings
/// listed in `open.txt`, which must still fail (so a fix is noticed and the entry removed).
#[test]
fn fuzz_regressions() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/fuzz-regressions");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    let open_list = std::fs::read_to_string(dir.join("open.txt")).unwrap_or_default();
    let open: Vec<&str> = open_list
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let mut paths: Vec<_> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
    paths.sort();
    let mut problems = Vec::new();
    for path in paths.into_iter().filter(|p| p.is_file()) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name == "open.txt" {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let passed = std::panic::catch_unwind(|| {
            check_bytes(&bytes);
        })
        .is_ok();
        match (passed, open.contains(&name.as_str())) {
            (false, false) => problems.push(format!("{name}: fails")),
            (true, true) => problems.push(format!(
                "{name}: passes now; remove it from fixtures/fuzz-regressions/open.txt"
            )),
            _ => {}
        }
    }
    for name in open {
        if !dir.join(name).is_file() {
            problems.push(format!("open.txt lists {name}, which does not exist"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
