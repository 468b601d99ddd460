//! Scheduling an interview fair: companies hold desks through a row of equal time slots, participants
//! (persons, or agencies speaking for them) say which companies they want to meet and how much,
//! and the schedule gives the greatest total preference with nobody in two places at once.
//!
//! The optimum is found in two exact steps.
//!
//! 1. **Which meetings.** A participant meets a company at most once and has at most
//!    `min(wants, slots)` meetings; a company holds at most `desks × slots`. Choosing the pairs of
//!    greatest total weight under those bounds is a min-cost flow (source → participant →
//!    company → sink, each pair an arc of capacity 1 and cost −weight), solved by successive
//!    shortest paths with potentials; augmenting stops at the first path that no longer gains.
//! 2. **When.** Split each company into its desks, each holding at most `slots` meetings. The
//!    meetings are then the edges of a bipartite graph of participants and desks whose largest
//!    degree is at most `slots`, so by König's theorem they can be coloured with `slots` colours
//!    so that no two meetings of a participant or of a desk share one: a colour is a time. Each
//!    meeting is coloured with a colour free at both ends, or, when there is none, after swapping
//!    two colours along an alternating path (a Kempe chain), so every chosen pair gets a time and
//!    step 1's optimum is the schedule's total.
//!
//! Both steps are written here: the graphs of a fair are small (the seed's fairs have 28 companies,
//! 56 agencies and 72 meetings), and no maintained crate does min-cost flow under a licence the
//! project can take; general dense assignment is [`crate::assignment`].
//!
//! **Re-running after a cancellation.** [`reschedule`] takes the new problem and the schedule
//! already sent out. Step 1 then prefers, among the choices of greatest total weight, the one that
//! keeps the most of the old meetings (each weight is scaled by one more than the number of old
//! meetings and a kept meeting earns one more), and step 2 starts from the old times and colours
//! only the new meetings, choosing the shortest alternating path when it must swap. A meeting
//! nobody touched keeps its time unless no time is free for a new meeting without moving it; the
//! result lists every meeting that moved.
//!
//! The model asks every company to hold the same number of desks through every slot and every
//! participant to be free for the whole fair: with times missing on either side the "when" step is
//! list edge-colouring, which has no such guarantee.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};

use serde::Serialize;

use crate::validation::{Problem, Problems};

/// At most this many time slots in one fair.
pub const MAX_SLOTS: u16 = 24;
/// At most this many desks for one company.
pub const MAX_DESKS: u16 = 20;
/// The greatest weight of one preference.
pub const MAX_WEIGHT: u32 = 100;

/// "Participant `participant` wants to meet company `company`, this much" (higher is more).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Preference {
    /// Index into [`FairProblem::wants`].
    pub participant: usize,
    /// Index into [`FairProblem::desks`].
    pub company: usize,
    /// 1 to [`MAX_WEIGHT`].
    pub weight: u32,
}

/// One fair to schedule.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FairProblem {
    /// Number of time slots.
    pub slots: u16,
    /// For each company, the desks it holds in every slot (0: the company withdrew).
    pub desks: Vec<u16>,
    /// For each participant, the most meetings they want (0: the participant withdrew).
    pub wants: Vec<u16>,
    /// Who wants to meet whom.
    pub preferences: Vec<Preference>,
}

/// One meeting at a time and desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Meeting {
    /// Participant index.
    pub participant: usize,
    /// Company index.
    pub company: usize,
    /// Desk of the company, from 0.
    pub desk: u16,
    /// Time slot, from 0.
    pub slot: u16,
}

/// A schedule and its total preference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Schedule {
    /// The meetings, ordered by slot, company and desk.
    pub meetings: Vec<Meeting>,
    /// The sum of the weights of the pairs that meet.
    pub total: u64,
}

/// A schedule made again from an earlier one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rescheduled {
    /// The new schedule (optimal for the new problem).
    pub schedule: Schedule,
    /// Old meetings held at the same time and desk.
    pub kept: usize,
    /// Old meetings held at another time or desk: before, after.
    pub moved: Vec<(Meeting, Meeting)>,
    /// Old meetings no longer held.
    pub dropped: Vec<Meeting>,
    /// Meetings that are new.
    pub added: Vec<Meeting>,
}

impl FairProblem {
    /// Every problem with the input, by field: `slots`, `desks`, `wants`, `preferences`.
    pub fn validate(&self) -> Result<(), Problems> {
        let mut problems = Problems::new();
        if self.slots == 0 || self.slots > MAX_SLOTS {
            problems.push(Problem { field: "slots", code: "out_of_range", limit: Some(MAX_SLOTS.into()) });
        }
        if self.desks.iter().any(|&d| d > MAX_DESKS) {
            problems.push(Problem { field: "desks", code: "too_many", limit: Some(MAX_DESKS.into()) });
        }
        if self.wants.iter().any(|&w| w > MAX_SLOTS) {
            problems.push(Problem { field: "wants", code: "too_many", limit: Some(MAX_SLOTS.into()) });
        }
        let mut seen = HashSet::new();
        for p in &self.preferences {
            if p.participant >= self.wants.len() {
                problems.add("preferences", "unknown_participant");
            } else if p.company >= self.desks.len() {
                problems.add("preferences", "unknown_company");
            } else if p.weight == 0 || p.weight > MAX_WEIGHT {
                problems.push(Problem { field: "preferences", code: "weight_out_of_range", limit: Some(MAX_WEIGHT) });
            } else if !seen.insert((p.participant, p.company)) {
                problems.add("preferences", "duplicate");
            } else {
                continue;
            }
            break;
        }
        problems.into_result(())
    }

    fn weight(&self) -> HashMap<(usize, usize), u32> {
        self.preferences.iter().map(|p| ((p.participant, p.company), p.weight)).collect()
    }

    /// The most meetings participant `p` can have.
    fn participant_bound(&self, p: usize) -> u32 {
        u32::from(self.wants[p].min(self.slots))
    }

    /// The most meetings company `c` can hold.
    fn company_bound(&self, c: usize) -> u32 {
        u32::from(self.desks[c]) * u32::from(self.slots)
    }
}

/// The schedule of greatest total preference.
pub fn optimal(problem: &FairProblem) -> Result<Schedule, Problems> {
    problem.validate()?;
    let pairs = choose_pairs(problem, &HashSet::new());
    let mut timetable = Timetable::new(problem);
    for (p, c) in pairs {
        timetable.place(p, c);
    }
    Ok(timetable.schedule(problem))
}

/// What filling the most wanted pairs first, each at the first free time, gives: the way a fair
/// is planned by hand, shown beside [`optimal`] so its gain can be seen.
pub fn greedy(problem: &FairProblem) -> Result<Schedule, Problems> {
    problem.validate()?;
    let mut order = problem.preferences.clone();
    order.sort_by_key(|p| (Reverse(p.weight), p.participant, p.company));
    let mut timetable = Timetable::new(problem);
    for p in order {
        if timetable.meetings_of_participant(p.participant) < problem.participant_bound(p.participant) {
            timetable.place_without_moving(p.participant, p.company);
        }
    }
    Ok(timetable.schedule(problem))
}

/// The optimal schedule for `problem` that keeps as much of `previous` as the optimum allows.
///
/// Indexes in `previous` are those of `problem`; meetings naming a participant or company that is
/// not there are dropped.
pub fn reschedule(problem: &FairProblem, previous: &[Meeting]) -> Result<Rescheduled, Problems> {
    problem.validate()?;
    let weight = problem.weight();
    let old: HashSet<(usize, usize)> =
        previous.iter().map(|m| (m.participant, m.company)).filter(|pair| weight.contains_key(pair)).collect();
    let pairs: HashSet<(usize, usize)> = choose_pairs(problem, &old).into_iter().collect();

    let mut timetable = Timetable::new(problem);
    let mut held = Vec::new();
    for m in previous {
        if pairs.contains(&(m.participant, m.company)) && timetable.occupy(*m) {
            held.push(*m);
        }
    }
    let held_pairs: HashSet<(usize, usize)> = held.iter().map(|m| (m.participant, m.company)).collect();
    let mut new_pairs: Vec<(usize, usize)> = pairs.difference(&held_pairs).copied().collect();
    new_pairs.sort_unstable();
    for (p, c) in new_pairs {
        timetable.place(p, c);
    }
    let schedule = timetable.schedule(problem);

    let now: HashMap<(usize, usize), Meeting> =
        schedule.meetings.iter().map(|m| ((m.participant, m.company), *m)).collect();
    let before: HashSet<(usize, usize)> = previous.iter().map(|m| (m.participant, m.company)).collect();
    let mut kept = 0;
    let mut moved = Vec::new();
    let mut dropped = Vec::new();
    for m in previous {
        match now.get(&(m.participant, m.company)) {
            Some(n) if n == m => kept += 1,
            Some(n) => moved.push((*m, *n)),
            None => dropped.push(*m),
        }
    }
    let added = schedule.meetings.iter().filter(|m| !before.contains(&(m.participant, m.company))).copied().collect();
    Ok(Rescheduled { schedule, kept, moved, dropped, added })
}

/// Step 1: the pairs of greatest total weight within the bounds; among those, the most of `keep`.
fn choose_pairs(problem: &FairProblem, keep: &HashSet<(usize, usize)>) -> Vec<(usize, usize)> {
    let participants = problem.wants.len();
    let companies = problem.desks.len();
    let source = 0;
    let sink = 1 + participants + companies;
    let mut flow = Flow::new(sink + 1);
    for p in 0..participants {
        flow.arc(source, 1 + p, i64::from(problem.participant_bound(p)), 0);
    }
    for c in 0..companies {
        flow.arc(1 + participants + c, sink, i64::from(problem.company_bound(c)), 0);
    }
    // Scaling by one more than the number of meetings that could be kept makes any gain in weight
    // outweigh every keeping bonus together.
    let scale = i64::try_from(keep.len()).unwrap_or(i64::MAX / 4) + 1;
    let mut pair_arcs = Vec::with_capacity(problem.preferences.len());
    for pref in &problem.preferences {
        let bonus = i64::from(keep.contains(&(pref.participant, pref.company)));
        let gain = i64::from(pref.weight) * scale + bonus;
        let arc = flow.arc(1 + pref.participant, 1 + participants + pref.company, 1, -gain);
        pair_arcs.push((arc, pref.participant, pref.company));
    }
    flow.run_while_gaining(source, sink);
    pair_arcs.into_iter().filter(|&(arc, _, _)| flow.used(arc)).map(|(_, p, c)| (p, c)).collect()
}

/// A residual graph for min-cost flow.
struct Flow {
    head: Vec<Vec<usize>>,
    to: Vec<usize>,
    capacity: Vec<i64>,
    cost: Vec<i64>,
}

impl Flow {
    fn new(nodes: usize) -> Self {
        Self { head: vec![Vec::new(); nodes], to: Vec::new(), capacity: Vec::new(), cost: Vec::new() }
    }

    /// Adds `from → to` and its reverse; returns the forward arc's index (the reverse is `+ 1`).
    fn arc(&mut self, from: usize, to: usize, capacity: i64, cost: i64) -> usize {
        let index = self.to.len();
        for (a, b, cap, c) in [(from, to, capacity, cost), (to, from, 0, -cost)] {
            self.head[a].push(self.to.len());
            self.to.push(b);
            self.capacity.push(cap);
            self.cost.push(c);
        }
        index
    }

    fn used(&self, arc: usize) -> bool {
        self.capacity[arc ^ 1] > 0
    }

    /// Sends flow along cheapest paths while a path still has negative cost.
    fn run_while_gaining(&mut self, source: usize, sink: usize) {
        let n = self.head.len();
        // Potentials from Bellman–Ford (the graph starts without negative cycles: it is layered).
        let mut potential = vec![i64::MAX; n];
        potential[source] = 0;
        for _ in 0..n {
            let mut changed = false;
            for u in 0..n {
                if potential[u] == i64::MAX {
                    continue;
                }
                for &a in &self.head[u] {
                    let v = self.to[a];
                    if self.capacity[a] > 0 && potential[u] + self.cost[a] < potential[v] {
                        potential[v] = potential[u] + self.cost[a];
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        // Dijkstra on reduced costs; nodes unreachable now stay unreachable, so their potential
        // never matters.
        let mut distance = vec![i64::MAX; n];
        let mut via = vec![usize::MAX; n];
        loop {
            distance.fill(i64::MAX);
            via.fill(usize::MAX);
            distance[source] = 0;
            let mut queue = BinaryHeap::from([Reverse((0i64, source))]);
            while let Some(Reverse((d, u))) = queue.pop() {
                if d > distance[u] {
                    continue;
                }
                for &a in &self.head[u] {
                    let v = self.to[a];
                    if self.capacity[a] <= 0 || potential[v] == i64::MAX {
                        continue;
                    }
                    let next = d + self.cost[a] + potential[u] - potential[v];
                    if next < distance[v] {
                        distance[v] = next;
                        via[v] = a;
                        queue.push(Reverse((next, v)));
                    }
                }
            }
            if distance[sink] == i64::MAX {
                return;
            }
            let path_cost = distance[sink] + potential[sink] - potential[source];
            if path_cost >= 0 {
                return;
            }
            for v in 0..n {
                if distance[v] != i64::MAX {
                    potential[v] += distance[v];
                }
            }
            let mut bottleneck = i64::MAX;
            let mut v = sink;
            while v != source {
                let a = via[v];
                bottleneck = bottleneck.min(self.capacity[a]);
                v = self.to[a ^ 1];
            }
            let mut v = sink;
            while v != source {
                let a = via[v];
                self.capacity[a] -= bottleneck;
                self.capacity[a ^ 1] += bottleneck;
                v = self.to[a ^ 1];
            }
        }
    }
}

/// Step 2: who sits where when. `participant[p][s]` and `desk[c][k][s]` hold the meeting there.
struct Timetable {
    participant: Vec<Vec<Option<usize>>>,
    desk: Vec<Vec<Vec<Option<usize>>>>,
    meetings: Vec<Meeting>,
}

impl Timetable {
    fn new(problem: &FairProblem) -> Self {
        let slots = usize::from(problem.slots);
        Self {
            participant: vec![vec![None; slots]; problem.wants.len()],
            desk: problem.desks.iter().map(|&d| vec![vec![None; slots]; usize::from(d)]).collect(),
            meetings: Vec::new(),
        }
    }

    fn meetings_of_participant(&self, p: usize) -> u32 {
        let n = self.participant[p].iter().flatten().count();
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    /// Puts `m` where it says, when that place is in the fair and free.
    fn occupy(&mut self, m: Meeting) -> bool {
        let (s, k) = (usize::from(m.slot), usize::from(m.desk));
        let free = self.participant.get(m.participant).and_then(|row| row.get(s)) == Some(&None)
            && self.desk.get(m.company).and_then(|desks| desks.get(k)).and_then(|row| row.get(s)) == Some(&None);
        if free {
            self.set(m);
        }
        free
    }

    fn set(&mut self, m: Meeting) {
        let index = self.meetings.len();
        self.participant[m.participant][usize::from(m.slot)] = Some(index);
        self.desk[m.company][usize::from(m.desk)][usize::from(m.slot)] = Some(index);
        self.meetings.push(m);
    }

    /// A desk and time free for both, if there is one.
    fn free_place(&self, p: usize, c: usize) -> Option<(u16, u16)> {
        self.desk[c].iter().enumerate().find_map(|(k, row)| {
            let s = row.iter().zip(&self.participant[p]).position(|(d, q)| d.is_none() && q.is_none())?;
            Some((u16::try_from(k).ok()?, u16::try_from(s).ok()?))
        })
    }

    /// Places `p` with `c` at the first place free for both; false when there is none.
    fn place_without_moving(&mut self, p: usize, c: usize) -> bool {
        match self.free_place(p, c) {
            Some((desk, slot)) => {
                self.set(Meeting { participant: p, company: c, desk, slot });
                true
            }
            None => false,
        }
    }

    /// Places `p` with `c`, swapping two times along the shortest alternating path when no place
    /// is free for both. The caller keeps within the bounds, so a place always exists.
    fn place(&mut self, p: usize, c: usize) {
        if self.place_without_moving(p, c) {
            return;
        }
        let mut best: Option<(Vec<usize>, usize, usize, usize)> = None;
        for (k, row) in self.desk[c].iter().enumerate() {
            for (b, _) in row.iter().enumerate().filter(|(_, m)| m.is_none()) {
                for (a, _) in self.participant[p].iter().enumerate().filter(|(_, m)| m.is_none()) {
                    let chain = self.chain(c, k, a, b);
                    if best.as_ref().is_none_or(|(shortest, ..)| chain.len() < shortest.len()) {
                        best = Some((chain, k, a, b));
                    }
                }
            }
        }
        let Some((chain, k, a, b)) = best else {
            return;
        };
        let (a16, b16) = (index_u16(a), index_u16(b));
        for &i in &chain {
            let m = self.meetings[i];
            self.participant[m.participant][usize::from(m.slot)] = None;
            self.desk[m.company][usize::from(m.desk)][usize::from(m.slot)] = None;
        }
        for &i in &chain {
            let m = &mut self.meetings[i];
            m.slot = if m.slot == a16 { b16 } else { a16 };
            let m = *m;
            self.participant[m.participant][usize::from(m.slot)] = Some(i);
            self.desk[m.company][usize::from(m.desk)][usize::from(m.slot)] = Some(i);
        }
        self.set(Meeting { participant: p, company: c, desk: index_u16(k), slot: a16 });
    }

    /// The meetings on the path from desk `k` of company `c` that alternates times `a` and `b`,
    /// starting with `a`. Swapping them frees `a` at the desk; the path never reaches a
    /// participant free at `a`, so that participant's `a` stays free.
    fn chain(&self, c: usize, k: usize, a: usize, b: usize) -> Vec<usize> {
        let mut chain = Vec::new();
        let mut at_desk = Some((c, k));
        let mut at_participant = None;
        loop {
            let next = if let Some((c, k)) = at_desk.take() {
                self.desk[c][k][a].inspect(|&i| at_participant = Some(self.meetings[i].participant))
            } else if let Some(p) = at_participant.take() {
                self.participant[p][b].inspect(|&i| {
                    let m = self.meetings[i];
                    at_desk = Some((m.company, usize::from(m.desk)));
                })
            } else {
                None
            };
            match next {
                Some(i) => chain.push(i),
                None => return chain,
            }
        }
    }

    fn schedule(mut self, problem: &FairProblem) -> Schedule {
        let weight = problem.weight();
        self.meetings.sort_by_key(|m| (m.slot, m.company, m.desk));
        let total =
            self.meetings.iter().filter_map(|m| weight.get(&(m.participant, m.company))).map(|&w| u64::from(w)).sum();
        Schedule { meetings: self.meetings, total }
    }
}

fn index_u16(s: usize) -> u16 {
    // Slots and desks are bounded by MAX_SLOTS and MAX_DESKS.
    u16::try_from(s).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn pref(participant: usize, company: usize, weight: u32) -> Preference {
        Preference { participant, company, weight }
    }

    /// Checks every rule of a schedule and returns its total.
    fn check(problem: &FairProblem, schedule: &Schedule) -> u64 {
        let weight = problem.weight();
        let mut pairs = HashSet::new();
        let mut participant_at = HashSet::new();
        let mut desk_at = HashSet::new();
        let mut per_participant = HashMap::new();
        for m in &schedule.meetings {
            assert!(m.slot < problem.slots, "{m:?} is outside the fair");
            assert!(m.desk < problem.desks[m.company], "{m:?} sits at a desk the company does not hold");
            assert!(weight.contains_key(&(m.participant, m.company)), "{m:?} was not wanted");
            assert!(pairs.insert((m.participant, m.company)), "{m:?} meets twice");
            assert!(participant_at.insert((m.participant, m.slot)), "{m:?} double-books the participant");
            assert!(desk_at.insert((m.company, m.desk, m.slot)), "{m:?} double-books the desk");
            *per_participant.entry(m.participant).or_insert(0u16) += 1;
        }
        for (p, n) in per_participant {
            assert!(n <= problem.wants[p], "participant {p} has more meetings than wanted");
        }
        let total = schedule.meetings.iter().map(|m| u64::from(weight[&(m.participant, m.company)])).sum();
        assert_eq!(total, schedule.total);
        total
    }

    /// The best total over every set of pairs within the bounds.
    fn best_by_brute_force(problem: &FairProblem) -> u64 {
        let prefs = &problem.preferences;
        let mut best = 0;
        for set in 0u32..(1 << prefs.len()) {
            let mut per_participant = vec![0u32; problem.wants.len()];
            let mut per_company = vec![0u32; problem.desks.len()];
            let mut total = 0;
            for (i, p) in prefs.iter().enumerate() {
                if set & (1 << i) != 0 {
                    per_participant[p.participant] += 1;
                    per_company[p.company] += 1;
                    total += u64::from(p.weight);
                }
            }
            let fits = (0..problem.wants.len()).all(|p| per_participant[p] <= problem.participant_bound(p))
                && (0..problem.desks.len()).all(|c| per_company[c] <= problem.company_bound(c));
            if fits {
                best = best.max(total);
            }
        }
        best
    }

    /// Two slots, one desk each. The greedy fills A's most wanted pair first and strands B.
    fn greedy_loses() -> FairProblem {
        FairProblem {
            slots: 1,
            desks: vec![1, 1],
            wants: vec![1, 1],
            preferences: vec![pref(0, 0, 5), pref(0, 1, 4), pref(1, 0, 4)],
        }
    }

    #[test]
    fn the_optimum_beats_filling_the_most_wanted_first() {
        let problem = greedy_loses();
        let best = optimal(&problem).unwrap();
        let hand = greedy(&problem).unwrap();
        assert_eq!((check(&problem, &best), check(&problem, &hand)), (8, 5));
    }

    #[test]
    fn a_full_fair_needs_swapped_times_and_still_fits_everyone() {
        // Three participants each meet all three companies in three slots: a Latin square, which
        // first-free placement cannot always complete but the alternating paths do.
        let preferences = (0..3).flat_map(|p| (0..3).map(move |c| pref(p, c, 1))).collect();
        let problem = FairProblem { slots: 3, desks: vec![1, 1, 1], wants: vec![3, 3, 3], preferences };
        let best = optimal(&problem).unwrap();
        assert_eq!(check(&problem, &best), 9);
    }

    #[test]
    fn a_cancellation_moves_nobody_else() {
        let preferences = vec![pref(0, 0, 3), pref(0, 1, 2), pref(1, 0, 2), pref(1, 1, 3), pref(2, 0, 1)];
        let mut problem = FairProblem { slots: 2, desks: vec![1, 1], wants: vec![2, 2, 1], preferences };
        let first = optimal(&problem).unwrap();
        check(&problem, &first);
        problem.wants[0] = 0;
        let again = reschedule(&problem, &first.meetings).unwrap();
        check(&problem, &again.schedule);
        assert_eq!(again.schedule.total, optimal(&problem).unwrap().total);
        assert!(again.moved.is_empty(), "moved {:?}", again.moved);
        assert_eq!(again.dropped.iter().map(|m| m.participant).collect::<Vec<_>>(), [0, 0]);
        assert_eq!(again.kept, first.meetings.len() - 2);
    }

    #[test]
    fn bad_input_names_the_rule() {
        let mut problem = greedy_loses();
        problem.slots = 0;
        problem.preferences.push(pref(0, 0, 1));
        let problems = optimal(&problem).unwrap_err();
        let codes: Vec<_> = problems.iter().map(|p| (p.field, p.code)).collect();
        assert_eq!(codes, [("slots", "out_of_range"), ("preferences", "duplicate")]);
        problem.slots = 1;
        problem.preferences = vec![pref(0, 9, 1)];
        assert_eq!(optimal(&problem).unwrap_err().iter().next().unwrap().code, "unknown_company");
        problem.preferences = vec![pref(0, 0, 0)];
        assert_eq!(optimal(&problem).unwrap_err().iter().next().unwrap().code, "weight_out_of_range");
    }

    fn small_problem() -> impl Strategy<Value = FairProblem> {
        (1u16..4, proptest::collection::vec(0u16..3, 1..4), proptest::collection::vec(0u16..4, 1..5)).prop_flat_map(
            |(slots, desks, wants)| {
                let (companies, participants) = (desks.len(), wants.len());
                proptest::collection::vec(0u32..4, companies * participants).prop_map(move |w| {
                    let preferences = w
                        .iter()
                        .enumerate()
                        .filter(|(_, w)| **w > 0)
                        .map(|(i, w)| pref(i / companies, i % companies, *w))
                        .collect();
                    FairProblem { slots, desks: desks.clone(), wants: wants.clone(), preferences }
                })
            },
        )
    }

    proptest! {
        #[test]
        fn the_schedule_is_valid_and_optimal(problem in small_problem()) {
            let best = optimal(&problem).unwrap();
            prop_assert_eq!(check(&problem, &best), best_by_brute_force(&problem));
            let hand = greedy(&problem).unwrap();
            prop_assert!(check(&problem, &hand) <= best.total);
        }

        #[test]
        fn rescheduling_keeps_the_optimum_and_an_unchanged_fair(
            problem in small_problem(),
            withdrawn in 0usize..5,
        ) {
            let first = optimal(&problem).unwrap();
            let same = reschedule(&problem, &first.meetings).unwrap();
            prop_assert_eq!(same.kept, first.meetings.len());
            prop_assert!(same.moved.is_empty() && same.added.is_empty() && same.dropped.is_empty());

            let mut changed = problem.clone();
            if let Some(w) = changed.wants.get_mut(withdrawn) {
                *w = 0;
            }
            let again = reschedule(&changed, &first.meetings).unwrap();
            prop_assert_eq!(check(&changed, &again.schedule), best_by_brute_force(&changed));
            prop_assert_eq!(
                again.kept + again.moved.len() + again.dropped.len(),
                first.meetings.len()
            );
        }
    }
}
