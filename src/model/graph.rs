//! A power's steps as a directed graph, and the path and time questions asked of it.

use std::collections::{HashMap, VecDeque};

use petgraph::algo::{tarjan_scc, toposort};
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef as _;
use petgraph::Direction;

use crate::model::duration::{Amount, Calendar};
use crate::model::{Power, Role, Step, StepType, LICENCE, PENALTY};

/// Where an edge was written: step `step`, item `edge` of its `next`.
#[derive(Debug, Clone, Copy)]
pub struct EdgeAt {
    pub step: usize,
    pub edge: usize,
    pub back: bool,
}

/// Nodes are step indices in file order; edges whose target is unknown are left out.
pub struct StepGraph<'a> {
    pub power: &'a Power,
    pub steps: Vec<&'a Step>,
    pub graph: DiGraph<usize, EdgeAt>,
    /// First step with each id.
    pub index: HashMap<&'a str, NodeIndex>,
}

impl<'a> StepGraph<'a> {
    pub fn new(power: &'a Power) -> Self {
        let steps: Vec<&Step> = power.steps().iter().map(|s| &s.value).collect();
        let mut graph = DiGraph::with_capacity(steps.len(), steps.len() + 4);
        let mut index = HashMap::with_capacity(steps.len());
        for (i, s) in steps.iter().enumerate() {
            let n = graph.add_node(i);
            if !s.id().is_empty() {
                index.entry(s.id()).or_insert(n);
            }
        }
        for (i, s) in steps.iter().enumerate() {
            for (k, e) in s.edges().iter().enumerate() {
                if let Some(&to) = index.get(e.to.value.as_str()) {
                    let at = EdgeAt {
                        step: i,
                        edge: k,
                        back: e.back,
                    };
                    graph.add_edge(NodeIndex::new(i), to, at);
                }
            }
        }
        StepGraph {
            power,
            steps,
            graph,
            index,
        }
    }

    /// False for a step without an id or with an id already used: other rules report it.
    pub fn is_addressable(&self, n: NodeIndex) -> bool {
        self.index.get(self.steps[n.index()].id()) == Some(&n)
    }

    pub fn nodes_of_type(&self, t: StepType) -> Vec<NodeIndex> {
        self.graph
            .node_indices()
            .filter(|n| self.steps[n.index()].kind() == t)
            .collect()
    }

    pub fn nodes_with_role(&self, r: Role) -> Vec<NodeIndex> {
        self.graph
            .node_indices()
            .filter(|n| self.steps[n.index()].role() == Some(r))
            .collect()
    }

    /// The decision steps: `决定` and `当场处罚`.
    pub fn decisions(&self) -> Vec<NodeIndex> {
        self.graph
            .node_indices()
            .filter(|n| self.steps[n.index()].role().is_some_and(Role::decides))
            .collect()
    }

    /// Nodes reachable from `from` along edges in `dir`, never entering a node in `avoid`.
    pub fn reach(
        &self,
        from: &[NodeIndex],
        dir: Direction,
        avoid: &dyn Fn(NodeIndex) -> bool,
    ) -> Vec<bool> {
        let mut seen = vec![false; self.graph.node_count()];
        let mut queue: VecDeque<NodeIndex> = VecDeque::new();
        for &n in from {
            if !seen[n.index()] {
                seen[n.index()] = true;
                queue.push_back(n);
            }
        }
        while let Some(n) = queue.pop_front() {
            for m in self.graph.neighbors_directed(n, dir) {
                if !seen[m.index()] && !avoid(m) {
                    seen[m.index()] = true;
                    queue.push_back(m);
                }
            }
        }
        seen
    }

    /// The graph without edges marked `back: true`.
    fn forward(&self) -> DiGraph<(), ()> {
        let mut g = DiGraph::with_capacity(self.graph.node_count(), self.graph.edge_count());
        for _ in self.graph.node_indices() {
            g.add_node(());
        }
        for e in self.graph.edge_references() {
            if !e.weight().back {
                g.add_edge(e.source(), e.target(), ());
            }
        }
        g
    }

    /// Where the statutory clock starts and stops (SPEC §5.2): the steps named
    /// by `time_limit.from`/`to`, else by category — 行政许可 from the first
    /// `受理`, 行政处罚 from the first `立案`, others from the first `受理` or
    /// `立案`, else the start; to the `决定` steps, else the ends.
    pub fn clock(&self, category: Option<&str>) -> (Vec<NodeIndex>, Vec<NodeIndex>) {
        let tl = self.power.time_limit.as_ref().map(|t| &t.value);
        let named = |id: Option<&crate::model::Sp<String>>| {
            id.and_then(|i| self.index.get(i.value.as_str()).copied())
        };
        let first = |roles: &[Role]| {
            self.graph.node_indices().find(|n| {
                self.steps[n.index()]
                    .role()
                    .is_some_and(|r| roles.contains(&r))
            })
        };
        let from = named(tl.and_then(|t| t.from.as_ref()))
            .or_else(|| match category {
                Some(LICENCE) => first(&[Role::Accept]),
                Some(PENALTY) => first(&[Role::Open]),
                _ => first(&[Role::Accept, Role::Open]),
            })
            .map_or_else(|| self.nodes_of_type(StepType::Start), |n| vec![n]);
        let to = match named(tl.and_then(|t| t.to.as_ref())) {
            Some(n) => vec![n],
            None => {
                let decisions = self.decisions();
                if decisions.is_empty() {
                    self.nodes_of_type(StepType::End)
                } else {
                    decisions
                }
            }
        };
        (from, to)
    }

    /// The steps in an order where every forward edge runs forward; `None` if
    /// the forward edges form a cycle.
    pub fn forward_order(&self) -> Option<Vec<NodeIndex>> {
        toposort(&self.forward(), None).ok()
    }

    /// Every step once, each after the steps its forward edges come from;
    /// among the steps ready, one that goes on before one that ends, otherwise
    /// in file order (so a 不予受理 end listed early still comes after the
    /// main line); steps on an unmarked cycle follow in file order.
    pub fn flow_order(&self) -> Vec<usize> {
        use std::cmp::Reverse;
        let g = self.forward();
        let key = |i: usize| Reverse((self.steps[i].kind() == StepType::End, i));
        let mut indegree: Vec<usize> = g
            .node_indices()
            .map(|n| g.neighbors_directed(n, Direction::Incoming).count())
            .collect();
        let mut ready: std::collections::BinaryHeap<Reverse<(bool, usize)>> = indegree
            .iter()
            .enumerate()
            .filter(|(_, d)| **d == 0)
            .map(|(i, _)| key(i))
            .collect();
        let mut order = Vec::with_capacity(indegree.len());
        let mut placed = vec![false; indegree.len()];
        while let Some(Reverse((_, i))) = ready.pop() {
            order.push(i);
            placed[i] = true;
            for m in g.neighbors_directed(NodeIndex::new(i), Direction::Outgoing) {
                indegree[m.index()] -= 1;
                if indegree[m.index()] == 0 {
                    ready.push(key(m.index()));
                }
            }
        }
        order.extend((0..placed.len()).filter(|&i| !placed[i]));
        order
    }

    /// Cycles that remain once back edges are removed: each as its nodes in file order.
    pub fn unmarked_cycles(&self) -> Vec<Vec<NodeIndex>> {
        let g = self.forward();
        let mut cycles: Vec<Vec<NodeIndex>> = tarjan_scc(&g)
            .into_iter()
            .filter(|c| c.len() > 1 || g.contains_edge(c[0], c[0]))
            .map(|mut c| {
                c.sort_unstable();
                c
            })
            .collect();
        cycles.sort_unstable();
        cycles
    }

    /// The times of the paths from a `from` step to a `to` step over forward
    /// edges, both ends included, each step counting its own `time` where
    /// `counted` says so (a step without a valid time counts zero). Paths in
    /// different units are kept apart — no path is invented by adding one
    /// branch's working days to another's calendar days: the result holds every
    /// path time that no other path time covers. `None` if the forward edges
    /// form a cycle.
    pub fn path_times(
        &self,
        from: &[NodeIndex],
        to: &dyn Fn(NodeIndex) -> bool,
        counted: &dyn Fn(NodeIndex) -> bool,
        cal: &Calendar,
    ) -> Option<Vec<Amount>> {
        let g = self.forward();
        let order = toposort(&g, None).ok()?;
        let own: Vec<Amount> = self
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let t = s.time.as_ref().and_then(|t| t.value.parsed.as_ref().ok());
                match t {
                    Some(d) if counted(NodeIndex::new(i)) => Amount::of(*d, cal),
                    _ => Amount::default(),
                }
            })
            .collect();
        let mut best: Vec<Vec<Amount>> = vec![Vec::new(); g.node_count()];
        for &f in from {
            add_to_frontier(&mut best[f.index()], own[f.index()]);
        }
        let mut out = Vec::new();
        for n in order {
            if best[n.index()].is_empty() {
                continue;
            }
            let here = std::mem::take(&mut best[n.index()]);
            if to(n) {
                for a in &here {
                    add_to_frontier(&mut out, a.tightened(cal));
                }
            }
            for m in g.neighbors(n) {
                for a in &here {
                    add_to_frontier(&mut best[m.index()], a.plus(own[m.index()]));
                }
            }
            best[n.index()] = here;
        }
        Some(out)
    }
}

/// The most path times kept per step; past it they merge into their
/// componentwise maximum (which covers them all, so no overrun is missed).
const FRONTIER: usize = 64;

/// Adds `a` unless a time already there covers it, dropping those it covers.
fn add_to_frontier(frontier: &mut Vec<Amount>, a: Amount) {
    if frontier.iter().any(|f| f.covers(&a)) {
        return;
    }
    frontier.retain(|f| !a.covers(f));
    frontier.push(a);
    if frontier.len() > FRONTIER {
        let merged = frontier.iter().fold(Amount::default(), |m, f| Amount {
            working: m.working.max(f.working),
            calendar: m.calendar.max(f.calendar),
            months: m.months.max(f.months),
            lo: m.lo.max(f.lo),
            hi: m.hi.max(f.hi),
        });
        frontier.clear();
        frontier.push(merged);
    }
}
