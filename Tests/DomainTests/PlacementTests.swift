import Foundation
import Testing

@testable import Domain

@Suite("Placement allocation")
struct PlacementTests {
    static let bench = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/bench/data/placement")

    static func load(_ name: String) throws -> PlacementInstance {
        let folder = bench.appendingPathComponent(name)
        func bytes(_ file: String) throws -> [UInt8] {
            [UInt8](try Data(contentsOf: folder.appendingPathComponent(file)))
        }
        return try PlacementInstance.read(
            meta: bytes("meta.json"), schools: bytes("schools.csv"), trainees: bytes("trainees.csv"),
            folder: folder.path)
    }

    /// Checks an allocation against the rules directly and recomputes its objective.
    static func check(_ a: PlacementAllocator.Allocation, _ instance: PlacementInstance, mentorLimit: Bool = true)
        -> Int64
    {
        var perSlot: [Int: Int32] = [:]
        var perSchool: [Int: Int32] = [:]
        var distance: Int64 = 0
        for (t, s) in a.school.enumerated() where s >= 0 {
            let trainee = instance.trainees[t]
            let school = instance.schools[Int(s)]
            let dx = school.x - trainee.x
            let dy = school.y - trainee.y
            #expect(dx * dx + dy * dy <= instance.travelLimit * instance.travelLimit, "trainee \(t) too far")
            let slot = a.subject.isEmpty ? trainee.subject : Int(a.subject[t])
            let send = instance.sendSubject != nil && slot == instance.sendSubject
            #expect(slot == trainee.subject || (send && trainee.sendInterest), "trainee \(t) in another subject")
            #expect(school.capacity[slot] > 0 && school.mentors > 0, "trainee \(t) ineligible")
            perSlot[Int(s) * 64 + slot, default: 0] += 1
            perSchool[Int(s), default: 0] += 1
            distance += PlacementInstance.roundedDistance(squared: dx * dx + dy * dy)
            if trainee.sendInterest && instance.sendSubject != nil && !send {
                distance += PlacementInstance.preferenceStep
            }
        }
        for (key, n) in perSlot { #expect(n <= instance.schools[key / 64].capacity[key % 64], "capacity at \(key)") }
        if mentorLimit {
            for (s, n) in perSchool { #expect(n <= instance.schools[s].mentors, "mentors at \(s)") }
        }
        let placed = a.school.count { $0 >= 0 }
        #expect(placed == a.placed && distance == a.distance)
        if let limits = instance.groupUnplacedLimit {
            for (g, limit) in limits.enumerated() {
                let unplaced = instance.trainees.indices.count { instance.trainees[$0].group == g && a.school[$0] < 0 }
                #expect(unplaced <= Int(limit), "group \(g) over its limit")
            }
        }
        return distance + Int64(instance.trainees.count - placed) * instance.unassignedPenalty
    }

    @Test(
        "The same optimum as OR-Tools on the reference instances",
        arguments: [("tiny-s3", 13_321_676, 67), ("regional-s1", 2_470_018, 800), ("large-s1", 236_424_052, 4_782)])
    func referenceOptima(_ name: String, _ objective: Int64, _ placed: Int) throws {
        let instance = try Self.load(name)
        let (allocation, _) = PlacementAllocator.optimal(instance)
        #expect(allocation.objective == objective)
        #expect(allocation.placed == placed)
        #expect(Self.check(allocation, instance) == objective)
    }

    @Test(
        "Stable mode: the trainee-optimal stable matching of the reference, with no blocking pair",
        arguments: [("tiny-s3", 13_322_772), ("regional-s1", 2_525_577)])
    func stableReference(_ name: String, _ objective: Int64) throws {
        let instance = try Self.load(name)
        let allocation = StableMatching.residentOptimal(instance)
        #expect(allocation.objective == objective)
        _ = Self.check(allocation, instance, mentorLimit: false)
        let preferences = StableMatching.preferences(instance)
        #expect(StableMatching.blockingPairs(preferences, StableMatching.deferredAcceptance(preferences)).isEmpty)
        // Same rows as the reference file (the trainee-optimal stable matching is unique).
        let expected = try String(
            contentsOf: Self.bench.appendingPathComponent("\(name)/expected_hr_resident_optimal.csv"), encoding: .utf8)
        let rows = expected.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map { Int32($0)! } }
        #expect(rows.map { $0[1] } == allocation.school)
    }

    /// Small random instances, each solved also by trying every assignment.
    static func random(seed: UInt64) -> PlacementInstance {
        var rng = SplitMix(seed: seed)
        // Every other instance has SEND places (capacity index 2) and trainees interested in them, and every
        // third limits how many of each group (provider) may be left unplaced.
        let send = seed % 2 == 0
        let schools = (0..<Int(rng.next() % 3 + 2)).map { _ in
            PlacementInstance.School(
                x: Int64(rng.next() % 30), y: Int64(rng.next() % 30), phase: "S", mentors: Int32(rng.next() % 3),
                capacity: [Int32(rng.next() % 3), Int32(rng.next() % 2), send ? Int32(rng.next() % 2) : 0])
        }
        let trainees = (0..<Int(rng.next() % (send ? 3 : 5) + 3)).map { _ in
            var t = PlacementInstance.Trainee(
                x: Int64(rng.next() % 30), y: Int64(rng.next() % 30), subject: Int(rng.next() % 2))
            t.sendInterest = send && rng.next() % 2 == 0
            t.group = Int(rng.next() % 2)
            return t
        }
        var instance = PlacementInstance(
            schools: schools, trainees: trainees, subjects: ["Maths", "Physics", "SEND"], travelLimit: 25,
            unassignedPenalty: Int64(rng.next() % 2 == 0 ? 40 : 1_000))
        instance.sendSubject = send ? 2 : nil
        if seed % 3 == 0 {
            instance.groupUnplacedLimit = (0..<2).map { g in
                Int32(rng.next() % UInt64(trainees.count { $0.group == g } + 1))
            }
        }
        return instance
    }

    static func bruteForce(_ instance: PlacementInstance) -> Int64 {
        var best = Int64.max
        var choice = [Int](repeating: -1, count: instance.trainees.count)
        func go(_ t: Int) {
            if t == instance.trainees.count {
                var perSlot: [Int: Int32] = [:]
                var perSchool: [Int: Int32] = [:]
                var cost: Int64 = 0
                var unplaced: [Int: Int32] = [:]
                for (i, c) in choice.enumerated() {
                    let tr = instance.trainees[i]
                    if c < 0 {
                        cost += instance.unassignedPenalty
                        unplaced[tr.group, default: 0] += 1
                        continue
                    }
                    // Choice c: school c / 2, in its SEND places when c is odd.
                    let s = c / 2
                    let send = c % 2 == 1
                    let sc = instance.schools[s]
                    let slot = send ? 2 : tr.subject
                    if send {
                        guard let k = instance.sendSubject, tr.sendInterest, sc.capacity[k] > 0,
                            sc.capacity[tr.subject] > 0 || (sc.capacity[0] == 0 && sc.capacity[1] == 0)
                        else { return }
                    }
                    let dx = sc.x - tr.x
                    let dy = sc.y - tr.y
                    let d2 = dx * dx + dy * dy
                    if d2 > instance.travelLimit * instance.travelLimit || sc.capacity[slot] == 0 { return }
                    perSlot[s * 3 + slot, default: 0] += 1
                    perSchool[s, default: 0] += 1
                    if perSlot[s * 3 + slot]! > sc.capacity[slot] || perSchool[s]! > sc.mentors { return }
                    cost += PlacementInstance.roundedDistance(squared: d2)
                    if tr.sendInterest && instance.sendSubject != nil && !send {
                        cost += PlacementInstance.preferenceStep
                    }
                }
                if let limits = instance.groupUnplacedLimit {
                    for (g, limit) in limits.enumerated() where unplaced[g, default: 0] > limit { return }
                }
                best = min(best, cost)
                return
            }
            for c in -1..<(instance.schools.count * 2) where c < 0 || c % 2 == 0 || instance.sendSubject != nil {
                choice[t] = c
                go(t + 1)
            }
        }
        go(0)
        return best
    }

    @Test(
        "On 300 random small instances (some with SEND places, some with limits on each provider's unplaced): feasible, and as cheap as the best of every possible assignment"
    )
    func againstBruteForce() {
        var infeasible = 0
        for seed in 1...300 {
            let instance = Self.random(seed: UInt64(seed))
            let (allocation, _) = PlacementAllocator.optimal(instance)
            let best = Self.bruteForce(instance)
            if best == .max {
                // No assignment meets the limits: the solver must say so.
                #expect(!allocation.feasible, "seed \(seed)")
                infeasible += 1
                continue
            }
            #expect(allocation.feasible, "seed \(seed)")
            #expect(Self.check(allocation, instance) == allocation.objective, "seed \(seed)")
            #expect(allocation.objective == best, "seed \(seed)")
            let preferences = StableMatching.preferences(instance)
            let stable = StableMatching.deferredAcceptance(preferences)
            #expect(StableMatching.blockingPairs(preferences, stable).isEmpty, "seed \(seed)")
        }
        // The limits bite in some instances, and not in all.
        #expect(infeasible > 0 && infeasible < 100)
    }

    @Test(
        "Penalty passes: a trainee left out at a small first penalty is placed by a later pass when moving others pays")
    func penaltyPasses() {
        // One place at each school. A is 1 from school 0 and 20 from school 1; B reaches school 0 only.
        let schools = [
            PlacementInstance.School(x: 0, y: 0, phase: "S", mentors: 1, capacity: [1]),
            PlacementInstance.School(x: 0, y: 21, phase: "S", mentors: 1, capacity: [1]),
        ]
        let trainees = [
            PlacementInstance.Trainee(x: 0, y: 1, subject: 0), PlacementInstance.Trainee(x: 0, y: -1, subject: 0),
        ]
        let instance = PlacementInstance(
            schools: schools, trainees: trainees, subjects: ["Maths"], travelLimit: 20, unassignedPenalty: 1_000)
        let (a, stats) = PlacementAllocator.optimal(instance)
        // Routing A first to school 0, B's only route moves A to school 1 at an extra 19: dearer than the first
        // pass's penalty (13), so B waits for the second pass (52), which places B and stops at a maximum flow.
        #expect(stats.passPenalties == [13, 52])
        #expect(stats.rerouted == 1 && stats.stoppedAtMaximumFlow)
        #expect(a.school == [1, 0] && a.objective == 21)
        #expect(a.objective == Self.bruteForce(instance))
    }

    @Test("Distances round half up in integers, exactly at the boundaries")
    func rounding() {
        #expect(PlacementInstance.roundedDistance(squared: 0) == 0)
        #expect(PlacementInstance.roundedDistance(squared: 2) == 1)  // 1.414
        #expect(PlacementInstance.roundedDistance(squared: 6) == 2)  // 2.449
        #expect(PlacementInstance.roundedDistance(squared: 7) == 3)  // 2.646
        #expect(PlacementInstance.roundedDistance(squared: 1_600_000_000) == 40_000)
        #expect(PlacementInstance.roundedDistance(squared: 4_000_000_000_000_000_000) == 2_000_000_000)
    }

    @Test("A malformed instance names the file, line and field, and nothing is read")
    func malformed() throws {
        let meta = Array(
            #"{"format":"placement-v1","travel_limit_m":40000,"unassigned_penalty":1000000,"subjects":["A","B"]}"#.utf8)
        let schools = Array("school_id,x_m,y_m,phase,mentors,cap_0,cap_1\n0,1,2,P,1,1,0\n1,5,x,Q,1,1,0\n".utf8)
        let trainees = Array("trainee_id,x_m,y_m,subject\n0,1,1,0\n".utf8)
        #expect {
            try PlacementInstance.read(meta: meta, schools: schools, trainees: trainees, folder: "inst")
        } throws: { error in
            guard let e = error as? ImportFileError else { return false }
            let text = e.description
            return e.file == "inst/schools.csv" && text.contains("3") && text.contains("y_m") && text.contains("phase")
        }
        let badSubject = Array("trainee_id,x_m,y_m,subject\n0,1,1,7\n".utf8)
        #expect(throws: ImportFileError.self) {
            try PlacementInstance.read(
                meta: meta, schools: Array("school_id,x_m,y_m,phase,mentors,cap_0,cap_1\n0,1,2,P,1,1,0\n".utf8),
                trainees: badSubject, folder: "inst")
        }
        #expect(throws: ImportFileError.self) {
            try PlacementInstance.read(meta: Array("{}".utf8), schools: schools, trainees: trainees, folder: "inst")
        }
    }
}

/// A small deterministic generator for test instances.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Placement offers and academic years")
struct PlacementOfferRuleTests {
    @Test("Academic years parse, print and follow September")
    func years() {
        #expect(AcademicYear("2026/27")?.start == 2026)
        #expect(AcademicYear("2026-27")?.description == "2026/27")
        #expect(AcademicYear("2026/28") == nil && AcademicYear("26/27") == nil && AcademicYear("x") == nil)
        #expect(AcademicYear.containing(Day("2026-11-23")!).description == "2026/27")
        #expect(AcademicYear.containing(Day("2027-08-31")!).description == "2026/27")
        #expect(AcademicYear.containing(Day("2027-09-01")!).description == "2027/28")
    }

    @Test("An offer must say why not, or give places (subject or SEND) and terms")
    func validation() throws {
        let year = AcademicYear(start: 2026)!
        #expect(throws: ValidationError.self) {
            try PlacementOffer(urn: URN(1), year: year, appetite: .notOpen).validated()
        }
        _ = try PlacementOffer(urn: URN(1), year: year, appetite: .notOpen, reason: "Ofsted this year").validated()
        do {
            _ = try PlacementOffer(urn: URN(1), year: year, appetite: .activelyLooking, sendPlaces: 51).validated()
            Issue.record("an offer without places was accepted")
        } catch {
            let fields = Set(error.problems.map(\.field))
            #expect(fields == ["terms", "send_places"])
        }
        do {
            _ = try PlacementOffer(urn: URN(1), year: year, appetite: .activelyLooking, terms: [.autumn]).validated()
            Issue.record("an offer without places was accepted")
        } catch {
            #expect(error.problems.map(\.field) == ["places-primary"])
        }
        let good = try PlacementOffer(
            urn: URN(1), year: year, appetite: .interested, places: [.primary: 3], terms: [.spring], sendPlaces: 1,
            mentors: [OfferedMentor(name: "M", subject: .primary, trainedOn: Day("2025-01-01"))]
        ).validated()
        #expect(good.usablePlaces(.primary) == 3 && good.usablePlaces(.physics) == 0)
        #expect(good.usableSendPlaces == 1 && good.usablePlaceCount == 4)
        var notHosting = good
        notHosting.appetite = .alreadyOrganised
        notHosting.reason = "With one provider"
        #expect(notHosting.usablePlaces(.primary) == 0 && notHosting.usablePlaceCount == 0)
    }
}

@Suite("Trainee files")
struct TraineeFileTests {
    @Test("A file without the right header, or with no rows, is refused as a whole")
    func header() {
        #expect {
            try TraineeEntry.readFile(Array("name,subject\nA,primary\n".utf8), file: "t.csv")
        } throws: { error in
            (error as? ImportFileError)?.description.contains("missing columns: phase, route") == true
        }
        #expect(throws: ImportFileError.self) {
            try TraineeEntry.readFile(Array((TraineeEntry.columns.joined(separator: ",") + "\n").utf8), file: "t.csv")
        }
    }

    @Test("A good row reads every field; no car caps travel at 15 km")
    func row() throws {
        let csv =
            TraineeEntry.columns.joined(separator: ",")
            + "\nAna Silva,physics,secondary,postgraduate-fee-funded,2,141308,ST4 2AA,30,yes,yes,100001;100002\n"
        let entry = try #require(try TraineeEntry.readFile(Array(csv.utf8), file: "t.csv").first)
        #expect(entry.line == 2 && entry.subject == .physics && entry.placement == 2)
        #expect(entry.firstPlacementURN == URN(141308) && entry.preferences == [URN(100001), URN(100002)])
        #expect(entry.noCar && entry.sendInterest && entry.homePostcode.value == "ST4 2AA")
        let trainee = Trainee(
            provider: OrganisationID(), year: AcademicYear(start: 2026)!, name: entry.name, subject: entry.subject,
            phase: entry.phase, route: entry.route, placement: 2, firstPlacementURN: entry.firstPlacementURN,
            homePostcode: entry.homePostcode, home: GridPoint(easting: 0, northing: 0), maximumTravelKm: 30,
            noCar: true,
            sendInterest: true, preferences: [])
        #expect(trainee.travelLimitMetres == 15_000)
    }
}

@Suite("Pins and forbidden pairs")
struct PinTests {
    static func instance(pinFar: Bool, forbidNear: Bool) -> PlacementInstance {
        PlacementInstance(
            schools: [.init(x: 0, y: 0, phase: "S", mentors: 1, capacity: [0, 2])],
            trainees: [
                .init(x: 2_000, y: 0, subject: 1, excluded: forbidNear ? [0] : []),
                .init(x: 8_000, y: 0, subject: 1, pinned: pinFar ? 0 : nil),
            ],
            subjects: ["A", "B"], travelLimit: 30_000, unassignedPenalty: 1_000_000)
    }

    @Test("A pin places its trainee even when someone nearer loses the place; a forbidden pair is never used")
    func pins() {
        #expect(PlacementAllocator.optimal(Self.instance(pinFar: false, forbidNear: false)).0.school == [0, -1])
        #expect(PlacementAllocator.optimal(Self.instance(pinFar: true, forbidNear: false)).0.school == [-1, 0])
        #expect(PlacementAllocator.optimal(Self.instance(pinFar: false, forbidNear: true)).0.school == [-1, 0])
    }
}

@Suite("Stable matching ranked by distance")
struct DistanceRankedStableTests {
    @Test("Schools that prefer the nearest trainees: stable, and the nearest wins a contested place")
    func nearestWins() {
        let instance = PlacementInstance(
            schools: [.init(x: 0, y: 0, phase: "S", mentors: 2, capacity: [1])],
            trainees: [.init(x: 9_000, y: 0, subject: 0), .init(x: 3_000, y: 0, subject: 0)],
            subjects: ["A"], travelLimit: 30_000, unassignedPenalty: 1_000_000)
        let p = StableMatching.preferences(instance, ranking: .distance)
        let match = StableMatching.deferredAcceptance(p)
        #expect(match == [-1, 0])
        #expect(StableMatching.blockingPairs(p, match).isEmpty)
        for seed in 1...100 {
            let random = PlacementTests.random(seed: UInt64(seed))
            let q = StableMatching.preferences(random, ranking: .distance)
            #expect(StableMatching.blockingPairs(q, StableMatching.deferredAcceptance(q)).isEmpty, "seed \(seed)")
        }
    }
}

@Suite("Contrasting second placements")
struct ContrastTests {
    @Test("With the rule on, a second placement goes to a school in the other pupil-premium band")
    func contrast() throws {
        let year = AcademicYear(start: 2026)!
        let a = URN(100001)
        let b = URN(100002)
        let c = URN(100003)
        func offer(_ urn: URN) throws -> PlacementOffer {
            try PlacementOffer(
                urn: urn, year: year, appetite: .activelyLooking, places: [.mathematics: 1], terms: [.spring],
                mentors: [OfferedMentor(name: "M", subject: .mathematics, trainedOn: Day("2025-07-01"))]
            ).validated()
        }
        let hosts: [URN: AllocationPlan.Host] = [
            a: .init(urn: a, name: "First School", point: GridPoint(easting: 500_000, northing: 150_000)),
            b: .init(urn: b, name: "Other Band", point: GridPoint(easting: 510_000, northing: 150_000)),
            c: .init(urn: c, name: "Same Band", point: GridPoint(easting: 502_000, northing: 150_000)),
        ]
        let trainee = Trainee(
            provider: OrganisationID(), year: year, name: "T", subject: .mathematics, phase: .secondary,
            route: .postgraduateFeeFunded, placement: 2, firstPlacementURN: a, homePostcode: Postcode("CT3 1AA")!,
            home: GridPoint(easting: 500_500, northing: 150_000), maximumTravelKm: 30, noCar: false,
            sendInterest: false, preferences: [])
        let offers = try [offer(a), offer(b), offer(c)]
        let plain = AllocationPlan.run(year: year, offers: offers, hosts: hosts, trainees: [trainee])
        #expect(plain.outcomes.first?.school == c)
        let bands = [a: true, b: false, c: true].mapValues(AllocationPlan.Constraints.bandName)
        let contrasted = AllocationPlan.run(
            year: year, offers: offers, hosts: hosts, trainees: [trainee],
            constraints: .init(contrast: .pupilPremiumBand, contrastValue: bands))
        #expect(contrasted.outcomes.first?.school == b)
        // With no school in the other band, the trainee is unplaced and told why.
        let none = AllocationPlan.run(
            year: year, offers: try [offer(a), offer(c)], hosts: hosts, trainees: [trainee],
            constraints: .init(contrast: .pupilPremiumBand, contrastValue: bands))
        #expect(none.outcomes.first?.reason?.contains("in the other pupil-premium band") == true)
        // By local authority: the same rule on another value; a school whose value is unknown never contrasts.
        let areas = [a: "Kent", b: "Medway"]
        let byArea = AllocationPlan.run(
            year: year, offers: offers, hosts: hosts, trainees: [trainee],
            constraints: .init(contrast: .localAuthority, contrastValue: areas))
        #expect(byArea.outcomes.first?.school == b)
        let unknown = AllocationPlan.run(
            year: year, offers: try [offer(a), offer(c)], hosts: hosts, trainees: [trainee],
            constraints: .init(contrast: .schoolType, contrastValue: [a: "Academy or free school"]))
        #expect(unknown.outcomes.first?.school == nil)
        #expect(unknown.outcomes.first?.reason?.contains("of another type") == true)
        let unknownFirst = AllocationPlan.run(
            year: year, offers: offers, hosts: hosts, trainees: [trainee],
            constraints: .init(contrast: .schoolType, contrastValue: [b: "Maintained school"]))
        #expect(unknownFirst.outcomes.first?.reason?.contains("not known for the first placement's school") == true)
    }

    @Test("Runs stored before contrast kinds read back as the pupil-premium rule with their bands")
    func storedRuns() throws {
        // The shape runs were stored in, encoded the way they were.
        struct Old: Encodable {
            var pinned: [UUID: URN] = [:]
            var forbidden: [UUID: Set<URN>] = [:]
            var previous: [UUID: URN] = [:]
            var contrastingSecondPlacements = true
            var highPupilPremium = [URN(100001): true, URN(100002): false]
        }
        let c = try JSONDecoder().decode(AllocationPlan.Constraints.self, from: JSONEncoder().encode(Old()))
        #expect(c.contrast == .pupilPremiumBand && c.fairnessPoints == nil)
        // Stored before rules had versions: the first rules; new runs use the current ones, kept when stored.
        #expect(c.rules == 1 && AllocationPlan.Constraints().rules == AllocationPlan.Constraints.currentRules)
        #expect(
            try JSONDecoder().decode(
                AllocationPlan.Constraints.self, from: JSONEncoder().encode(AllocationPlan.Constraints())
            ).rules == 2)
        #expect(c.contrastValue == [URN(100001): "PP50", URN(100002): "not PP50"])
        let plain = try JSONDecoder().decode(
            AllocationPlan.Constraints.self, from: Data(#"{"pinned":[],"forbidden":[],"previous":[]}"#.utf8))
        #expect(plain.contrast == nil && plain.contrastValue.isEmpty)
        let again = try JSONDecoder().decode(AllocationPlan.Constraints.self, from: JSONEncoder().encode(c))
        #expect(again == c)
    }

    @Test("School types group GIAS establishment types; unknown types stay unknown")
    func schoolTypes() {
        #expect(SchoolTypeGroup(establishmentType: "Academy converter") == .academy)
        #expect(SchoolTypeGroup(establishmentType: "Free schools") == .academy)
        #expect(SchoolTypeGroup(establishmentType: "Community school") == .maintained)
        #expect(SchoolTypeGroup(establishmentType: "Voluntary aided school") == .maintained)
        #expect(SchoolTypeGroup(establishmentType: "Academy special converter") == .special)
        #expect(SchoolTypeGroup(establishmentType: "Pupil referral unit") == .special)
        #expect(SchoolTypeGroup(establishmentType: nil) == nil)
        #expect(SchoolTypeGroup(establishmentType: "") == nil)
    }
}

@Suite("Allocation rules: terms, SEND places and fairness between providers")
struct AllocationRuleTests {
    let year = AcademicYear(start: 2026)!
    static let mentor = OfferedMentor(name: "M", subject: .mathematics, trainedOn: Day("2025-07-01"))

    func offer(_ urn: Int, places: Int = 1, terms: Set<Term> = [.autumn, .spring], send: Int = 0, mentors: Int = 1)
        throws -> PlacementOffer
    {
        try PlacementOffer(
            urn: URN(urn), year: year, appetite: .activelyLooking, places: places > 0 ? [.mathematics: places] : [:],
            terms: terms, sendPlaces: send, mentors: Array(repeating: Self.mentor, count: mentors)
        ).validated()
    }

    func host(_ urn: Int, km: Double) -> (URN, AllocationPlan.Host) {
        (
            URN(urn),
            .init(
                urn: URN(urn), name: "School \(urn)", point: GridPoint(easting: 500_000 + km * 1000, northing: 150_000))
        )
    }

    func trainee(
        _ name: String, provider: OrganisationID = OrganisationID(), km: Double = 0, placement: Int = 1,
        first: URN? = nil, send: Bool = false
    ) -> Trainee {
        Trainee(
            provider: provider, year: year, name: name, subject: .mathematics, phase: .secondary,
            route: .postgraduateFeeFunded, placement: placement, firstPlacementURN: first,
            homePostcode: Postcode("CT3 1AA")!, home: GridPoint(easting: 500_000 + km * 1000, northing: 150_000),
            maximumTravelKm: 30, noCar: false, sendInterest: send, preferences: [])
    }

    @Test("Comparing two runs: who moved, who became placed or unplaced, and the cause of each")
    func comparison() throws {
        let hosts = Dictionary(uniqueKeysWithValues: [host(1, km: 1), host(2, km: 6)])
        let offers = try [offer(1), offer(2)]
        let ann = trainee("Ann", km: 0)
        let ben = trainee("Ben", km: 20)
        let cal = trainee("Cal", km: 7)
        let first = AllocationPlan.run(year: year, offers: offers, hosts: hosts, trainees: [ann, ben, cal])
        // Two places for three: the optimum leaves out the one furthest from any spare place.
        #expect(first.placed == 2)
        // Second run: Cal pinned at school 1, Ann's home moved, school 2 gains a place, a trainee withdrawn, one added.
        var movedAnn = ann
        movedAnn.home = GridPoint(easting: 506_000, northing: 150_000)
        movedAnn.homePostcode = Postcode("CT4 1AA")!
        let dee = trainee("Dee", km: 6)
        var constraints = AllocationPlan.Constraints()
        constraints.pinned[cal.id] = URN(1)
        let secondOffers = [offers[0], try offer(2, places: 2, mentors: 2)]
        let second = AllocationPlan.run(
            year: year, offers: secondOffers, hosts: hosts, trainees: [movedAnn, cal, dee], constraints: constraints)
        let comparison = RunComparison.compare(
            .init(trainees: [ann, ben, cal], offers: offers, constraints: .init(), plan: first),
            .init(trainees: [movedAnn, cal, dee], offers: secondOffers, constraints: constraints, plan: second))
        #expect(comparison.first.trainees == 3 && comparison.first.placed == 2)
        #expect(comparison.second.trainees == 3 && comparison.second.placed == second.placed)
        let byID = Dictionary(uniqueKeysWithValues: comparison.entries.map { ($0.trainee, $0) })
        // Cal: pinned at school 1.
        let calEntry = try #require(byID[cal.id])
        #expect(calEntry.causes.contains(.pinned(URN(1))))
        // Ben: in the first run only.
        if case .removed = try #require(byID[ben.id]).change {} else { Issue.record("Ben should be removed") }
        // Dee: in the second run only.
        if case .added = try #require(byID[dee.id]).change {} else { Issue.record("Dee should be added") }
        // Ann moved: her home postcode changed (and school 2's places).
        let annEntry = try #require(byID[ann.id])
        if case .moved(let from, let to) = annEntry.change {
            #expect(from == URN(1) && to == URN(2))
        } else {
            Issue.record("Ann should have moved: \(annEntry.change)")
        }
        #expect(annEntry.causes.contains(.traineeChanged(["home postcode"])))
        #expect(annEntry.causes.contains(.offerChanged(URN(2), "places in Mathematics 1 → 2; trained mentors 1 → 2")))
        // The same run compared with itself: nothing changed.
        let same = RunComparison.compare(
            .init(trainees: [ann, ben, cal], offers: offers, constraints: .init(), plan: first),
            .init(trainees: [ann, ben, cal], offers: offers, constraints: .init(), plan: first))
        #expect(same.entries.isEmpty && same.unchanged == 2)
    }

    @Test("Comparing two runs: a trainee whose own inputs did not change is told whose move took their place")
    func comparisonKnockOn() throws {
        let hosts = Dictionary(uniqueKeysWithValues: [host(1, km: 1)])
        let offers = [try offer(1)]
        let ann = trainee("Ann", km: 0)
        let ben = trainee("Ben", km: 3)
        let first = AllocationPlan.run(year: year, offers: offers, hosts: hosts, trainees: [ann, ben])
        #expect(first.outcomes.first { $0.trainee == ann.id }?.school == URN(1))
        var constraints = AllocationPlan.Constraints()
        constraints.pinned[ben.id] = URN(1)
        let second = AllocationPlan.run(
            year: year, offers: offers, hosts: hosts, trainees: [ann, ben], constraints: constraints)
        let comparison = RunComparison.compare(
            .init(trainees: [ann, ben], offers: offers, constraints: .init(), plan: first),
            .init(trainees: [ann, ben], offers: offers, constraints: constraints, plan: second))
        let annEntry = try #require(comparison.entries.first { $0.trainee == ann.id })
        #expect(
            annEntry.change
                == .becameUnplaced(from: URN(1), reason: second.outcomes.first { $0.trainee == ann.id }?.reason))
        #expect(annEntry.causes == [.placeTakenBy(URN(1), [ben.id])])
        #expect(comparison.first.placed == 1 && comparison.second.placed == 1)
        #expect(comparison.second.distance > comparison.first.distance)
    }

    @Test("First placements go to schools hosting in the autumn, second placements in the spring or summer")
    func terms() throws {
        let hosts = Dictionary(uniqueKeysWithValues: [host(1, km: 1), host(2, km: 5)])
        let offers = try [offer(1, terms: [.summer]), offer(2, terms: [.autumn])]
        let plan = AllocationPlan.run(
            year: year, offers: offers, hosts: hosts,
            trainees: [trainee("First"), trainee("Second", placement: 2, first: URN(9))])
        #expect(plan.outcomes.map(\.school) == [URN(2), URN(1)])
        // A run stored under the first rules (before term windows) reproduces as it was: the first placement
        // goes to the nearer school, whatever its terms.
        let firstRules = AllocationPlan.run(
            year: year, offers: offers, hosts: hosts, trainees: [trainee("First")], constraints: .init(rules: 1))
        #expect(firstRules.outcomes.map(\.school) == [URN(1)])
        let autumnOnly = AllocationPlan.run(
            year: year, offers: [try offer(2, terms: [.autumn])], hosts: hosts,
            trainees: [trainee("Second", placement: 2, first: URN(9))])
        #expect(autumnOnly.outcomes[0].school == nil)
        #expect(autumnOnly.outcomes[0].reason?.contains("spring or summer term") == true)
    }

    @Test("SEND places go to trainees interested in SEND, who prefer them; others cannot take them")
    func sendPlaces() throws {
        let hosts = Dictionary(uniqueKeysWithValues: [host(1, km: 1), host(2, km: 1.5)])
        // School 1: one maths place. School 2: one maths place and one SEND place, two mentors.
        let offers = try [offer(1), offer(2, send: 1, mentors: 2)]
        let interested = trainee("Interested", km: 0, send: true)
        let plan = AllocationPlan.run(
            year: year, offers: offers, hosts: hosts, trainees: [interested, trainee("A", km: 0), trainee("B", km: 0)])
        // The interested trainee takes the SEND place at school 2 although school 1 is nearer; A and B share the
        // two maths places.
        #expect(plan.outcomes[0].school == URN(2) && plan.outcomes[0].sendPlace == true)
        #expect(plan.placed == 3)
        #expect(plan.outcomes[1...].allSatisfy { $0.sendPlace == false })
        // Without interest in SEND, the third trainee has no place: the SEND place is not theirs.
        let nobody = AllocationPlan.run(
            year: year, offers: offers, hosts: hosts, trainees: [trainee("A"), trainee("B"), trainee("C")])
        #expect(nobody.placed == 2)
        // A school with SEND places only (a special school) takes interested trainees of any subject.
        let special = AllocationPlan.run(
            year: year, offers: [try offer(3, places: 0, send: 2, mentors: 2)],
            hosts: Dictionary(uniqueKeysWithValues: [host(3, km: 2)]),
            trainees: [interested, trainee("D", km: 0)])
        #expect(special.outcomes.map(\.school) == [URN(3), nil])
    }

    @Test("Fairness: rates brought within the points by giving contested places to the lower provider")
    func fairnessHonoured() throws {
        let a = OrganisationID()
        let b = OrganisationID()
        // Two places, both nearer to provider A's trainees; B's two trainees are a little further away.
        let hosts = Dictionary(uniqueKeysWithValues: [host(1, km: 2), host(2, km: 3)])
        let offers = try [offer(1), offer(2)]
        let trainees = [
            trainee("A1", provider: a, km: 2), trainee("A2", provider: a, km: 3),
            trainee("B1", provider: b, km: 8), trainee("B2", provider: b, km: 9),
        ]
        let plain = AllocationPlan.run(year: year, offers: offers, hosts: hosts, trainees: trainees)
        #expect(plain.outcomes.map { $0.school != nil } == [true, true, false, false])
        let fair = AllocationPlan.run(
            year: year, offers: offers, hosts: hosts, trainees: trainees,
            constraints: .init(fairnessPoints: 10))
        #expect(fair.placed == 2)
        #expect(fair.outcomes.filter { $0.school != nil }.count == 2)
        let rates = try #require(fair.fairness).rates
        #expect(fair.fairness?.honoured == true && rates.allSatisfy { $0.placed == 1 && $0.of == 2 })
        #expect(fair.fairness?.spread == 0)
        // Within 100 points is no constraint: the plain optimum stands.
        let loose = AllocationPlan.run(
            year: year, offers: offers, hosts: hosts, trainees: trainees, constraints: .init(fairnessPoints: 100))
        #expect(loose.outcomes.map(\.school) == plain.outcomes.map(\.school))
        #expect(loose.fairness?.honoured == true)
    }

    @Test("Fairness that would need empty places is reported impossible, naming what each could reach")
    func fairnessImpossible() throws {
        let a = OrganisationID()
        let b = OrganisationID()
        // B's trainee is 60 km from every school: no floor can place them.
        let hosts = Dictionary(uniqueKeysWithValues: [host(1, km: 2), host(2, km: 3)])
        let trainees = [
            trainee("A1", provider: a, km: 2), trainee("A2", provider: a, km: 3), trainee("B1", provider: b, km: 60),
        ]
        let plan = AllocationPlan.run(
            year: year, offers: try [offer(1), offer(2)], hosts: hosts, trainees: trainees,
            constraints: .init(fairnessPoints: 20))
        let fairness = try #require(plan.fairness)
        #expect(!fairness.honoured)
        // The draft is still the best allocation: both of A's trainees placed.
        #expect(plan.placed == 2)
        #expect(fairness.rates.first { $0.provider == b }?.mostPossible == 0)
        #expect(fairness.rates.first { $0.provider == a }?.mostPossible == 2)
        #expect(fairness.explanation?.contains("cannot reach") == true)
    }
}
