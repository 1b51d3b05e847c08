import Foundation

/// A placement allocation problem in the partnership's benchmark format ("placement-v1"): schools with mentors and
/// capacity per subject, trainees with a home and a subject, a travel limit and a penalty for each unplaced trainee.
public struct PlacementInstance: Sendable {
    public struct School: Sendable, Hashable {
        public var x: Int64
        public var y: Int64
        public var phase: String
        /// How many trainees the school can take in all (one per trained mentor).
        public var mentors: Int32
        /// How many trainees it can take in each subject (index = subject id).
        public var capacity: [Int32]

        public init(x: Int64, y: Int64, phase: String, mentors: Int32, capacity: [Int32]) {
            self.x = x
            self.y = y
            self.phase = phase
            self.mentors = mentors
            self.capacity = capacity
        }
    }

    public struct Trainee: Sendable, Hashable {
        public var x: Int64
        public var y: Int64
        public var subject: Int
        /// The trainee's own travel limit in metres, when tighter than the instance's.
        public var travelLimit: Int64?
        /// Schools (indices) the trainee may not go to: a second placement's first school, forbidden pairs.
        public var excluded: Set<Int>
        /// Schools the trainee asked for, most wanted first (indices): each rank down costs `preferenceStep`, and
        /// any other school costs one step more than the last preference.
        public var preferred: [Int]
        /// A school the coordinator pinned the trainee to: their only option, whatever the distance.
        public var pinned: Int?
        /// The trainee's school in the previous run: on a re-run, ties are broken towards it.
        public var previous: Int?
        /// Interested in a SEND placement: may take a school's SEND places (see `sendSubject`), which cost one
        /// preference step less than the school's ordinary places.
        public var sendInterest = false
        /// The trainee's group (provider) for `groupUnplacedLimit`.
        public var group = 0

        public init(
            x: Int64, y: Int64, subject: Int, travelLimit: Int64? = nil, excluded: Set<Int> = [], preferred: [Int] = [],
            pinned: Int? = nil, previous: Int? = nil
        ) {
            self.x = x
            self.y = y
            self.subject = subject
            self.travelLimit = travelLimit
            self.excluded = excluded
            self.preferred = preferred
            self.pinned = pinned
            self.previous = previous
        }
    }

    /// Costs are multiplied by this and 1 is added for every school other than a trainee's previous one, so that a
    /// re-run keeps each trainee where they were unless the optimum needs a change (1 when not re-running). Set
    /// it above the number of trainees for the tie-break to be exact.
    public var costScale: Int64 = 1

    /// Leaving a pinned trainee unplaced costs this much, so a pin is honoured whenever its school has room for
    /// them at all, even if that leaves others unplaced.
    public var pinnedPenalty: Int64 { unassignedPenalty * 1_000 }

    /// What each step down a trainee's preferences costs, in metres of travel.
    public static let preferenceStep: Int64 = 1_000

    public var schools: [School]
    public var trainees: [Trainee]
    public var subjects: [String]
    /// The capacity index that holds each school's SEND places, when the instance has them: trainees interested
    /// in SEND may take one at a school that hosts their subject (or hosts SEND placements only).
    public var sendSubject: Int?
    /// When set, at most this many trainees of each group may be left unplaced (index = group); the allocation is
    /// infeasible when the limits cannot all be met.
    public var groupUnplacedLimit: [Int32]?
    /// Whether the solver may route in penalty passes (see `PlacementFlow.passPenalties`); off only to reproduce
    /// runs from before them exactly, as any optimum may then be chosen among equals differently.
    public var penaltyPasses = true
    /// Straight-line metres; a trainee is never placed further than this.
    public var travelLimit: Int64
    /// What leaving one trainee unplaced costs, in the same units as metres travelled.
    public var unassignedPenalty: Int64

    public init(
        schools: [School], trainees: [Trainee], subjects: [String], travelLimit: Int64, unassignedPenalty: Int64
    ) {
        self.schools = schools
        self.trainees = trainees
        self.subjects = subjects
        self.travelLimit = travelLimit
        self.unassignedPenalty = unassignedPenalty
    }

    /// The travel cost in whole metres: sqrt(d2) rounded half up, in integers (no floating-point doubt).
    @inlinable
    public static func roundedDistance(squared d2: Int64) -> Int64 {
        var c = Int64(Double(d2).squareRoot())
        while c * c > d2 { c -= 1 }
        while (c + 1) * (c + 1) <= d2 { c += 1 }
        return d2 - c * c > c ? c + 1 : c
    }

    /// Every school a trainee may go to: capacity in their subject, a mentor, within the travel limit.
    public struct Candidates: Sendable {
        /// For trainee t, its candidates are at `start[t] ..< start[t + 1]`, ordered by school (a school's SEND
        /// places after its subject places).
        public var start: [Int32]
        public var school: [Int32]
        public var cost: [Int32]
        /// The capacity index each candidate uses: the trainee's subject, or `sendSubject`.
        public var subject: [Int32]
    }

    public func candidates() -> Candidates {
        let cell = max(travelLimit, 1)
        var start = [Int32](repeating: 0, count: trainees.count + 1)
        var school: [Int32] = []
        var cost: [Int32] = []
        var slotSubject: [Int32] = []
        school.reserveCapacity(trainees.count * 64)
        cost.reserveCapacity(trainees.count * 64)
        // One grid per subject over the schools that can take it, in cells as wide as the travel limit.
        var grids: [[Int64: [Int32]]] = Array(repeating: [:], count: subjects.count)
        func key(_ x: Int64, _ y: Int64) -> Int64 { (x / cell) &* 1_000_003 &+ (y / cell) }
        for (i, s) in schools.enumerated() where s.mentors > 0 {
            for k in 0..<min(subjects.count, s.capacity.count) where s.capacity[k] > 0 {
                grids[k][key(s.x, s.y), default: []].append(Int32(i))
            }
        }
        var found: [Int32] = []
        var sendFound: [Int32] = []
        var all: [Int32] = []
        /// A school's SEND places suit a trainee who hosts their subject there, or at a school with SEND places only.
        func sendSuits(_ s: School, _ trainee: Trainee) -> Bool {
            guard let send = sendSubject, send < s.capacity.count, s.capacity[send] > 0 else { return false }
            if trainee.subject < s.capacity.count && s.capacity[trainee.subject] > 0 { return true }
            return s.capacity.indices.allSatisfy { $0 == send || s.capacity[$0] == 0 }
        }
        for (t, trainee) in trainees.enumerated() {
            found.removeAll(keepingCapacity: true)
            sendFound.removeAll(keepingCapacity: true)
            let own = min(trainee.travelLimit ?? travelLimit, travelLimit)
            let ownLimit2 = own * own
            if let pin = trainee.pinned, trainee.subject >= 0 && trainee.subject < subjects.count {
                // Pinned by the coordinator: that school only, at any distance, if it can take the subject.
                let school = schools[pin]
                if school.mentors > 0 && trainee.subject < school.capacity.count && school.capacity[trainee.subject] > 0
                {
                    found.append(Int32(pin))
                }
                if trainee.sendInterest && school.mentors > 0 && sendSuits(school, trainee) {
                    sendFound.append(Int32(pin))
                }
            } else if trainee.subject >= 0 && trainee.subject < subjects.count {
                let grid = grids[trainee.subject]
                let cx = trainee.x / cell
                let cy = trainee.y / cell
                for gx in (cx - 1)...(cx + 1) {
                    for gy in (cy - 1)...(cy + 1) {
                        for s in grid[gx &* 1_000_003 &+ gy] ?? [] {
                            let dx = schools[Int(s)].x - trainee.x
                            let dy = schools[Int(s)].y - trainee.y
                            if dx * dx + dy * dy <= ownLimit2 && !trainee.excluded.contains(Int(s)) { found.append(s) }
                        }
                        if trainee.sendInterest, let send = sendSubject, let list = grids[send][gx &* 1_000_003 &+ gy] {
                            for s in list {
                                let school = schools[Int(s)]
                                let dx = school.x - trainee.x
                                let dy = school.y - trainee.y
                                if dx * dx + dy * dy <= ownLimit2 && !trainee.excluded.contains(Int(s))
                                    && sendSuits(school, trainee)
                                {
                                    sendFound.append(s)
                                }
                            }
                        }
                    }
                }
            }
            if trainee.subject >= 0 && trainee.subject < subjects.count {
                // Subject places, then SEND places, each school once in each: (school, is SEND) order.
                // Encoded as school * 2 + (1 for SEND), so one integer sort gives that order.
                all.removeAll(keepingCapacity: true)
                for s in found { all.append(s &* 2) }
                for s in sendFound { all.append(s &* 2 &+ 1) }
                all.sort()
                for code in all {
                    let s = code >> 1
                    let send = code & 1 == 1
                    let dx = schools[Int(s)].x - trainee.x
                    let dy = schools[Int(s)].y - trainee.y
                    var c = Self.roundedDistance(squared: dx * dx + dy * dy)
                    if !trainee.preferred.isEmpty {
                        let rank = trainee.preferred.firstIndex(of: Int(s)) ?? trainee.preferred.count
                        c += Int64(rank) * Self.preferenceStep
                    }
                    // A trainee interested in SEND prefers SEND places by one step.
                    if trainee.sendInterest && sendSubject != nil && !send { c += Self.preferenceStep }
                    if costScale > 1 {
                        c = c * costScale + (trainee.previous != nil && trainee.previous != Int(s) ? 1 : 0)
                    }
                    school.append(s)
                    cost.append(Int32(c))
                    slotSubject.append(Int32(send ? sendSubject! : trainee.subject))
                }
            }
            start[t + 1] = Int32(school.count)
        }
        return Candidates(start: start, school: school, cost: cost, subject: slotSubject)
    }
}
