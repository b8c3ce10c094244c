//! DD552: a HEALTHCHECK option BuildKit rejects: a bad duration, a bad retry count, no value.

use super::{Context, Sink};
use crate::syntax::{Healthcheck, InstructionKind};

/// The duration options of HEALTHCHECK.
const DURATIONS: &[&str] = &["interval", "timeout", "start-period", "start-interval"];

/// One millisecond in nanoseconds: BuildKit's smallest non-zero duration.
const MIN_NANOS: f64 = 1_000_000.0;

/// DD552
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for inst in &ctx.dockerfile.instructions {
        if !matches!(
            inst.kind,
            InstructionKind::Healthcheck(Healthcheck::Cmd { .. })
        ) {
            continue;
        }
        for flag in &inst.flags {
            let name = flag.name.as_str();
            let is_duration = DURATIONS.contains(&name);
            if !is_duration && name != "retries" {
                // Unknown flags are a syntax error reported by the parser.
                continue;
            }
            let (Some(value), Some(value_span)) = (&flag.value, flag.value_span) else {
                sink.report(
                    flag.span,
                    format!("`--{name}` has no value: BuildKit refuses the build"),
                    if is_duration {
                        format!("give a duration such as `--{name}=30s`, or drop the option")
                    } else {
                        "give a count such as `--retries=3`, or drop the option".to_owned()
                    },
                );
                continue;
            };
            // HEALTHCHECK options are not variable-expanded; leave templates alone.
            if value.contains('$') || value.contains("{{") {
                continue;
            }
            if is_duration {
                let problem = match parse_duration(value) {
                    Ok(nanos) if nanos != 0.0 && nanos < MIN_NANOS => {
                        format!(
                            "`--{name}={value}` is below 1ms (and not 0, which means the default)"
                        )
                    }
                    Ok(_) => continue,
                    Err(reason) => format!("`--{name}={value}` is not a duration: {reason}"),
                };
                sink.report(
                    value_span,
                    format!("{problem}; BuildKit refuses the build"),
                    format!(
                        "write a number with a unit (`ms`, `s`, `m`, `h`), such as `--{name}={}`",
                        suggestion(value)
                    ),
                );
            } else {
                let problem = match value.parse::<i64>() {
                    Ok(n) if n < 0 => "is negative",
                    Ok(n) if n > i64::from(i32::MAX) => "is too large",
                    Ok(_) => continue,
                    Err(_) => "is not a whole number",
                };
                sink.report(
                    value_span,
                    format!("`--retries={value}` {problem}; BuildKit refuses the build"),
                    "give the number of consecutive failures before the container is unhealthy, such as `--retries=3`",
                );
            }
        }
    }
}

/// A fix for a number written without a unit (`30` -> `30s`); otherwise a generic example.
fn suggestion(value: &str) -> String {
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        format!("{value}s")
    } else {
        "30s".to_owned()
    }
}

/// Go's `time.ParseDuration`: an optional sign, then one or more `<decimal><unit>`; a
/// bare `0` needs no unit. Returns nanoseconds (signed).
fn parse_duration(text: &str) -> Result<f64, &'static str> {
    let (negative, mut rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if rest == "0" {
        return Ok(0.0);
    }
    if rest.is_empty() {
        return Err("it is empty");
    }
    let mut total = 0.0;
    while !rest.is_empty() {
        let number_len = rest
            .bytes()
            .take_while(|b| b.is_ascii_digit() || *b == b'.')
            .count();
        let number = &rest[..number_len];
        if number.is_empty() || number == "." || number.matches('.').count() > 1 {
            return Err("a number is expected before each unit");
        }
        let amount: f64 = number.parse().map_err(|_| "the number is malformed")?;
        rest = &rest[number_len..];
        let unit_len = rest
            .bytes()
            .take_while(|b| !(b.is_ascii_digit() || *b == b'.'))
            .count();
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let scale = match unit {
            "" => return Err("the unit is missing"),
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return Err("the unit is unknown (use ns, us, ms, s, m or h)"),
        };
        total += amount * scale;
    }
    Ok(if negative { -total } else { total })
}

#[cfg(test)]
mod tests {
    use super::parse_duration;

    #[test]
    fn go_durations() {
        assert_eq!(parse_duration("30s"), Ok(30e9));
        assert_eq!(parse_duration("1m30s"), Ok(90e9));
        assert_eq!(parse_duration("1.5h"), Ok(1.5 * 3600e9));
        assert_eq!(parse_duration("0"), Ok(0.0));
        assert_eq!(parse_duration("500ms"), Ok(500e6));
        assert!(parse_duration("-1s").is_ok_and(|n| n < 0.0));
        assert!(parse_duration("5").is_err());
        assert!(parse_duration("5sec").is_err());
        assert!(parse_duration("5d").is_err());
        assert!(parse_duration("").is_err());
        assert!(parse_duration("s").is_err());
    }
}
