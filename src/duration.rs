//! Durations (`15个工作日`, `30日`, `即办`), the holiday calendar, and date-free comparisons.
//!
//! A limit in working days has no fixed length in calendar days: it depends on the
//! day the clock starts. Without a date we compare with bounds. For `N` working days
//! the calendar span is the number of days from the day of receipt (not counted) to
//! the day the N-th working day ends; its lower and upper bounds are the minimum and
//! maximum of that span over every receipt day the calendar covers (and, past the
//! calendar, over weekends alone, where the minimum is `N + 2·⌊(N−1)/5⌋`).
//! Two amounts in the same unit compare exactly; otherwise their calendar bounds must
//! not overlap, or the comparison is undecidable and says so.

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::sync::Mutex;

use anyhow::{bail, Context};
use jiff::civil::{Date, Weekday};
use serde::Deserialize;

/// The largest N accepted in a duration: about 27 years of calendar days.
pub const MAX_DAYS: u32 = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Unit {
    /// 工作日: weekends and public holidays excluded.
    Working,
    /// 自然日.
    Calendar,
}

/// A parsed duration. `unit: None` is `即办`/`当场` (zero).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duration {
    pub days: u32,
    pub unit: Option<Unit>,
}

impl Duration {
    pub const INSTANT: Duration = Duration {
        days: 0,
        unit: None,
    };

    pub fn working(days: u32) -> Self {
        Duration {
            days,
            unit: Some(Unit::Working),
        }
    }

    pub fn calendar(days: u32) -> Self {
        Duration {
            days,
            unit: Some(Unit::Calendar),
        }
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.unit {
            None => f.write_str("即办"),
            Some(Unit::Working) => write!(f, "{}个工作日", self.days),
            Some(Unit::Calendar) => write!(f, "{}日", self.days),
        }
    }
}

const WORKING_SUFFIXES: &[&str] = &["个工作日", "工作日", "working days", "working day"];
const CALENDAR_SUFFIXES: &[&str] = &["自然日", "日", "天", "days", "day"];

/// Parses a duration as SPEC §1.2 writes it; the error explains what is accepted.
pub fn parse(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    if t == "即办" || t == "当场" {
        return Ok(Duration::INSTANT);
    }
    let digits_end = t
        .char_indices()
        .find(|(_, c)| !c.is_ascii_digit())
        .map_or(t.len(), |(i, _)| i);
    let (number, rest) = t.split_at(digits_end);
    let rest = rest.trim_start();
    let bad = || {
        format!(
            "无法识别的时限 `{text}`: 应写作 `N个工作日`、`N日`、`N自然日`、`即办` 等, N 为整数 \
             (unrecognised duration; expected e.g. `15个工作日`, `30日`, `即办`)"
        )
    };
    if number.is_empty() {
        return Err(bad());
    }
    let unit = if WORKING_SUFFIXES.contains(&rest) {
        Unit::Working
    } else if CALENDAR_SUFFIXES.contains(&rest) {
        Unit::Calendar
    } else {
        return Err(bad());
    };
    let days: u32 = number
        .parse()
        .ok()
        .filter(|d| *d <= MAX_DAYS)
        .ok_or_else(|| format!("时限 `{text}` 过长: 最多 {MAX_DAYS} 日 (duration too long)"))?;
    Ok(Duration {
        days,
        unit: Some(unit),
    })
}

/// The PRC public-holiday calendar: which days are working days.
#[derive(Debug)]
pub struct Calendar {
    first: Date,
    last: Date,
    holidays: BTreeSet<Date>,
    workdays: BTreeSet<Date>,
    /// Calendar-day bounds of N working days, computed on first use.
    bounds: Mutex<HashMap<u32, (u32, u32)>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarFile {
    first_year: i16,
    last_year: i16,
    #[serde(default)]
    year: Vec<CalendarYear>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarYear {
    #[allow(dead_code)]
    year: i16,
    #[allow(dead_code)]
    #[serde(default)]
    notice: String,
    #[serde(default)]
    holidays: Vec<String>,
    #[serde(default)]
    workdays: Vec<String>,
}

/// The calendar shipped in the binary (2024–2026).
pub const BUILTIN_CALENDAR: &str = include_str!("../data/holidays-cn.toml");

impl Calendar {
    pub fn builtin() -> Self {
        // The embedded file is checked by a unit test, so this cannot fail at run time.
        Self::from_toml(BUILTIN_CALENDAR).unwrap_or_else(|_| Self::weekends_only())
    }

    /// A calendar that knows weekends and nothing else.
    pub fn weekends_only() -> Self {
        let d = Date::constant(2024, 1, 1);
        Calendar {
            first: d,
            last: d,
            holidays: BTreeSet::new(),
            workdays: BTreeSet::new(),
            bounds: Mutex::new(HashMap::new()),
        }
    }

    pub fn from_toml(text: &str) -> anyhow::Result<Self> {
        let file: CalendarFile = toml::from_str(text).map_err(|e| {
            anyhow::anyhow!("节假日日历格式错误: {}", e.message().replace('\n', " "))
        })?;
        if file.first_year > file.last_year {
            bail!("first_year 大于 last_year");
        }
        let first = Date::new(file.first_year, 1, 1).context("first_year 超出范围")?;
        let last = Date::new(file.last_year, 12, 31).context("last_year 超出范围")?;
        let mut holidays = BTreeSet::new();
        let mut workdays = BTreeSet::new();
        for y in &file.year {
            for (list, set) in [(&y.holidays, &mut holidays), (&y.workdays, &mut workdays)] {
                for s in list {
                    let d: Date = s.parse().with_context(|| format!("无效日期 `{s}`"))?;
                    if d < first || d > last {
                        bail!("日期 {s} 不在 {}–{} 年内", file.first_year, file.last_year);
                    }
                    set.insert(d);
                }
            }
        }
        if let Some(d) = holidays.intersection(&workdays).next() {
            bail!("{d} 既是放假日又是调休上班日");
        }
        Ok(Calendar {
            first,
            last,
            holidays,
            workdays,
            bounds: Mutex::new(HashMap::new()),
        })
    }

    pub fn is_working_day(&self, d: Date) -> bool {
        if self.workdays.contains(&d) {
            return true;
        }
        if self.holidays.contains(&d) {
            return false;
        }
        !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
    }

    /// The date on which `n` working days counted from the day after `start` are done.
    pub fn add_working_days(&self, start: Date, n: u32) -> Option<Date> {
        let mut d = start;
        let mut left = n;
        while left > 0 {
            d = d.tomorrow().ok()?;
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        Some(d)
    }

    /// Minimum and maximum calendar span of `n` working days over every receipt day
    /// the calendar covers, plus two weeks of weekends-only days after it.
    pub fn working_span(&self, n: u32) -> (u32, u32) {
        if n == 0 {
            return (0, 0);
        }
        if let Ok(cache) = self.bounds.lock() {
            if let Some(b) = cache.get(&n) {
                return *b;
            }
        }
        let b = self.compute_span(n);
        if let Ok(mut cache) = self.bounds.lock() {
            cache.insert(n, b);
        }
        b
    }

    fn compute_span(&self, n: u32) -> (u32, u32) {
        let start = self.first.yesterday().unwrap_or(self.first);
        let receipt_days = self.last.since(start).map_or(0, |s| s.get_days()) + 15;
        // Working-day flags for every day from `start`, long enough for the last receipt day.
        let len = receipt_days as usize + 2 * n as usize + 64;
        let mut prefix = Vec::with_capacity(len + 1);
        prefix.push(0u32);
        let mut day = start;
        for _ in 0..len {
            let w = u32::from(self.is_working_day(day));
            prefix.push(prefix[prefix.len() - 1] + w);
            match day.tomorrow() {
                Ok(t) => day = t,
                Err(_) => break,
            }
        }
        let mut lo = u32::MAX;
        let mut hi = 0;
        for s in 0..receipt_days as usize {
            // Days s+1..=j hold n working days: prefix[j+1] - prefix[s+1] >= n.
            let target = prefix[s + 1] + n;
            let j1 = prefix.partition_point(|&p| p < target);
            if j1 >= prefix.len() {
                continue;
            }
            let span = (j1 - 1 - s) as u32;
            lo = lo.min(span);
            hi = hi.max(span);
        }
        if lo == u32::MAX {
            let weekends = n + 2 * ((n - 1) / 5);
            return (weekends, weekends + 2);
        }
        (lo, hi)
    }
}

/// An amount of time as a sum of steps: exact per unit, plus calendar-day bounds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Amount {
    pub working: u32,
    pub calendar: u32,
    /// Lower and upper bound in calendar days.
    pub lo: u32,
    pub hi: u32,
}

impl Amount {
    pub fn of(d: Duration, cal: &Calendar) -> Self {
        match d.unit {
            None => Amount::default(),
            Some(Unit::Calendar) => Amount {
                working: 0,
                calendar: d.days,
                lo: d.days,
                hi: d.days,
            },
            Some(Unit::Working) => {
                let (lo, hi) = cal.working_span(d.days);
                Amount {
                    working: d.days,
                    calendar: 0,
                    lo,
                    hi,
                }
            }
        }
    }

    pub fn plus(self, o: Amount) -> Amount {
        Amount {
            working: self.working.saturating_add(o.working),
            calendar: self.calendar.saturating_add(o.calendar),
            lo: self.lo.saturating_add(o.lo),
            hi: self.hi.saturating_add(o.hi),
        }
    }

    /// Componentwise maximum: the bounds of "the longest of several paths".
    pub fn max(self, o: Amount) -> Amount {
        Amount {
            working: self.working.max(o.working),
            calendar: self.calendar.max(o.calendar),
            lo: self.lo.max(o.lo),
            hi: self.hi.max(o.hi),
        }
    }

    fn scaled(self, k: u32) -> Amount {
        Amount {
            working: self.working.saturating_mul(k),
            calendar: self.calendar.saturating_mul(k),
            lo: self.lo.saturating_mul(k),
            hi: self.hi.saturating_mul(k),
        }
    }

    pub fn describe(&self) -> String {
        match (self.working, self.calendar) {
            (0, 0) => "即办".to_string(),
            (w, 0) => format!("{w}个工作日"),
            (0, c) => format!("{c}日"),
            (w, c) => format!("{w}个工作日+{c}日"),
        }
    }

    pub fn bounds(&self) -> String {
        if self.lo == self.hi {
            format!("{}日", self.lo)
        } else {
            format!("{}–{}日", self.lo, self.hi)
        }
    }
}

/// The outcome of a comparison that may be undecidable without a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Certainly `a > b`.
    Exceeds,
    /// Certainly `a <= b`.
    Within,
    /// Depends on the starting date.
    Undecidable,
}

/// Is `a` longer than `b`? Exact in one unit; by calendar bounds across units.
pub fn exceeds(a: Amount, b: Amount) -> Verdict {
    exceeds_scaled(a, 1, b, 1)
}

/// Is `ka·a` longer than `kb·b`? (Used for "more than two thirds of".)
pub fn exceeds_scaled(a: Amount, ka: u32, b: Amount, kb: u32) -> Verdict {
    let (a, b) = (a.scaled(ka), b.scaled(kb));
    let single_unit = (a.calendar == 0 && b.calendar == 0) || (a.working == 0 && b.working == 0);
    if single_unit {
        let (x, y) = if a.calendar == 0 && b.calendar == 0 {
            (a.working, b.working)
        } else {
            (a.calendar, b.calendar)
        };
        return if x > y {
            Verdict::Exceeds
        } else {
            Verdict::Within
        };
    }
    if a.lo > b.hi {
        Verdict::Exceeds
    } else if a.hi <= b.lo {
        Verdict::Within
    } else {
        Verdict::Undecidable
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_spelling_of_the_spec() {
        for (s, d) in [
            ("15个工作日", Duration::working(15)),
            ("15工作日", Duration::working(15)),
            ("3 working days", Duration::working(3)),
            ("30日", Duration::calendar(30)),
            ("30天", Duration::calendar(30)),
            ("30自然日", Duration::calendar(30)),
            ("7 days", Duration::calendar(7)),
            ("即办", Duration::INSTANT),
            ("当场", Duration::INSTANT),
            (" 5 日 ", Duration::calendar(5)),
        ] {
            assert_eq!(parse(s), Ok(d), "{s}");
        }
    }

    #[test]
    fn rejects_what_is_not_a_duration() {
        for s in [
            "",
            "3",
            "三日",
            "3.5日",
            "-3日",
            "3周",
            "3 months",
            "日",
            "即办3日",
            "99999999999日",
        ] {
            let err = parse(s).expect_err(s);
            assert!(err.contains(s.trim()) || s.is_empty(), "{err}");
        }
    }

    #[test]
    fn builtin_calendar_loads_and_knows_the_spring_festival() {
        let cal = Calendar::from_toml(BUILTIN_CALENDAR).expect("builtin calendar");
        assert!(!cal.is_working_day(Date::constant(2024, 2, 12)));
        assert!(
            cal.is_working_day(Date::constant(2024, 2, 4)),
            "调休 Sunday"
        );
        assert!(!cal.is_working_day(Date::constant(2026, 2, 23)));
        assert!(
            cal.is_working_day(Date::constant(2026, 2, 28)),
            "调休 Saturday"
        );
        assert!(
            !cal.is_working_day(Date::constant(2027, 1, 2)),
            "weekend past the calendar"
        );
        // Received on 2025-01-27 (Monday); 1 working day ends on 2025-02-05.
        assert_eq!(
            cal.add_working_days(Date::constant(2025, 1, 27), 1),
            Some(Date::constant(2025, 2, 5))
        );
    }

    #[test]
    fn working_span_bounds() {
        let weekends = Calendar::weekends_only();
        for n in 1..30 {
            let (lo, _) = weekends.working_span(n);
            assert_eq!(lo, n + 2 * ((n - 1) / 5), "n = {n}");
        }
        let cal = Calendar::builtin();
        // 调休 makes six working days in a row possible (2024-02-04 to 2024-02-09).
        assert_eq!(cal.working_span(6).0, 6);
        // The Spring Festival stretches one working day across nine calendar days.
        assert!(cal.working_span(1).1 >= 9);
        assert_eq!(cal.working_span(0), (0, 0));
    }

    #[test]
    fn comparisons_never_guess() {
        let cal = Calendar::builtin();
        let wd = |n| Amount::of(Duration::working(n), &cal);
        let cd = |n| Amount::of(Duration::calendar(n), &cal);
        assert_eq!(exceeds(wd(20), wd(15)), Verdict::Exceeds);
        assert_eq!(exceeds(wd(15), wd(15)), Verdict::Within);
        assert_eq!(exceeds(cd(31), cd(30)), Verdict::Exceeds);
        // 20 working days always take more than 20 calendar days.
        assert_eq!(exceeds(wd(20), cd(20)), Verdict::Exceeds);
        // 5 working days never take more than 30 calendar days.
        assert_eq!(exceeds(wd(5), cd(30)), Verdict::Within);
        // 20 working days against 30 calendar days depends on the start date.
        assert_eq!(exceeds(wd(20), cd(30)), Verdict::Undecidable);
        // Two thirds of 30 working days is 20: 20 is within, 21 exceeds.
        assert_eq!(exceeds_scaled(wd(20), 3, wd(30), 2), Verdict::Within);
        assert_eq!(exceeds_scaled(wd(21), 3, wd(30), 2), Verdict::Exceeds);
        let instant = Amount::of(Duration::INSTANT, &cal);
        assert_eq!(exceeds(instant, wd(1)), Verdict::Within);
        assert_eq!(exceeds(wd(1), instant), Verdict::Exceeds);
    }
}
