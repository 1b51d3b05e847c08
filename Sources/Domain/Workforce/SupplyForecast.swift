import Foundation

/// DfE's Teacher Workforce Model outputs (2026 publication): national leaver rates, returners and other entrants
/// per phase and subject and year, and pupil numbers per phase with projections.
public struct WorkforceModel: Sendable {
    public struct Key: Hashable, Sendable {
        public var phase: String
        public var subject: String
    }
    /// Type ("Total leaver rate", "Returners", ...) -> key -> academic year ("2025/26") -> value.
    public var flows: [String: [Key: [String: Double]]]
    /// Phase -> academic year -> (pupils, teacher FTE).
    public var pupils: [String: [String: (pupils: Double, teachers: Double)]]

    public static func read(flows: [UInt8], pupils: [UInt8]) throws(ImportFileError) -> WorkforceModel {
        let f = try CSVTable(bytes: flows, file: "twm_flow_trajectories_2026_publication.csv", encoding: .utf8)
        var out: [String: [Key: [String: Double]]] = [:]
        for row in f.rows {
            guard let v = BoundedInput.decimal(row["Value"], in: 0...10_000_000) else { continue }
            out[row["Type"], default: [:]][Key(phase: row["Phase"], subject: row["Subject"]), default: [:]][
                row["Academic year"]] = v
        }
        let p = try CSVTable(bytes: pupils, file: "twm_pupil_teacher_numbers.csv", encoding: .utf8)
        var pu: [String: [String: (Double, Double)]] = [:]
        for row in p.rows {
            guard let n = BoundedInput.decimal(row["Pupil numbers"], in: 0...100_000_000),
                let t = BoundedInput.decimal(row["Teacher numbers"], in: 0...10_000_000)
            else { continue }
            pu[row["Phase"], default: [:]][row["Academic year"]] = (n, t)
        }
        return WorkforceModel(flows: out, pupils: pu)
    }

    /// DfE's subject name for a teaching subject (nil: it has no line of its own, and counts in "Others").
    public static func subjectName(_ s: TeachingSubject) -> String {
        switch s {
        case .primary: "Total"
        case .english: "English"
        case .mathematics: "Mathematics"
        case .biology: "Biology"
        case .chemistry: "Chemistry"
        case .physics: "Physics"
        case .computing: "Computing"
        case .modernLanguages: "Modern Foreign Languages"
        case .history: "History"
        case .geography: "Geography"
        case .artAndDesign: "Art and Design"
        case .designAndTechnology: "Design and Technology"
        case .music: "Music"
        case .drama: "Drama"
        case .physicalEducation: "Physical Education"
        case .religiousEducation: "Religious Education"
        case .combinedScience: "Others"
        }
    }

    /// A value for the year, or the latest year before it that has one (DfE's trajectories stop at 2027/28).
    public func value(_ type: String, phase: String, subject: TeachingSubject, year: Int) -> (Double, String)? {
        guard let series = flows[type]?[Key(phase: phase, subject: Self.subjectName(subject))] else { return nil }
        for y in stride(from: year, through: 2011, by: -1) {
            let label = AcademicYear(start: y)?.description ?? ""
            if let v = series[label] { return (v, label) }
        }
        return nil
    }

    /// Pupils in the phase in the year (held at the last projection after it), and national teacher FTE.
    public func pupils(phase: String, year: Int) -> (pupils: Double, teachers: Double, year: String)? {
        guard let series = pupils[phase] else { return nil }
        for y in stride(from: year, through: 2010, by: -1) {
            let label = AcademicYear(start: y)?.description ?? ""
            if let v = series[label] { return (v.pupils, v.teachers, label) }
        }
        return nil
    }
}

/// A stock-flow projection of teachers (FTE) against need, per phase and subject, five years ahead.
///
/// Each year: early-career teachers (their first two years) leave at the early rate and half of those who stay
/// complete the stage; established teachers leave at their rate; newly qualified entrants join the early stage;
/// returners and other entrants join the established stock. Need starts at today's FTE and moves with DfE's
/// projected pupil numbers for the phase.
public enum SupplyForecast {
    public enum RateSource: String, Sendable, CaseIterable {
        case partnership, national

        public var label: String {
            self == .partnership ? "The partnership's own measured rates" : "DfE's national rates"
        }
    }

    public struct Line: Sendable, Hashable {
        public var phase: String
        public var subject: TeachingSubject
        public var label: String { phase == "Primary" ? "Primary" : "Secondary \(subject.label.lowercased())" }
    }

    public struct Inputs: Sendable {
        public var line: Line
        public var early: Double
        public var established: Double
        /// Annual leaving rates (fractions).
        public var earlyLeaving: Double
        public var establishedLeaving: Double
        /// Where each rate came from, for the page.
        public var rateNote: String
        public var newlyQualified: Double
        /// The partnership's trainees in the subject this year, shown beside the measured intake.
        public var trainees: Int = 0
        public var returners: Double
        public var otherEntrants: Double
        /// Pupils in each projected year relative to now (index 0 is now, 1.0).
        public var pupilIndex: [Double]

        public init(
            line: Line, early: Double, established: Double, earlyLeaving: Double, establishedLeaving: Double,
            rateNote: String, newlyQualified: Double, returners: Double, otherEntrants: Double, pupilIndex: [Double]
        ) {
            self.line = line
            self.early = early
            self.established = established
            self.earlyLeaving = earlyLeaving
            self.establishedLeaving = establishedLeaving
            self.rateNote = rateNote
            self.newlyQualified = newlyQualified
            self.returners = returners
            self.otherEntrants = otherEntrants
            self.pupilIndex = pupilIndex
        }
    }

    public struct WhatIf: Sendable, Hashable {
        public var subject: TeachingSubject?
        public var extraTrainees: Int
        /// Percentage points off the early-career leaving rate, every line.
        public var earlyLeavingCut: Double
        public init(subject: TeachingSubject? = nil, extraTrainees: Int = 0, earlyLeavingCut: Double = 0) {
            self.subject = subject
            self.extraTrainees = extraTrainees
            self.earlyLeavingCut = earlyLeavingCut
        }
        public var isEmpty: Bool { extraTrainees == 0 && earlyLeavingCut == 0 }
    }

    public struct Year: Sendable, Hashable {
        public var offset: Int
        public var supply: Double
        public var need: Double
        public var gap: Double { supply - need }
    }

    /// Years 0 (now) to `years` ahead.
    public static func project(_ i: Inputs, years: Int = 5, whatIf: WhatIf = WhatIf()) -> [Year] {
        var early = i.early
        var established = i.established
        let need0 = early + established
        let extra = whatIf.subject == i.line.subject ? Double(whatIf.extraTrainees) : 0
        let earlyRate = min(1, max(0, i.earlyLeaving - whatIf.earlyLeavingCut / 100))
        var out = [Year(offset: 0, supply: early + established, need: need0)]
        for y in 1...max(1, years) {
            let stayingEarly = early * (1 - earlyRate)
            let completing = stayingEarly / 2
            early = stayingEarly - completing + i.newlyQualified + extra
            established = established * (1 - i.establishedLeaving) + completing + i.returners + i.otherEntrants
            let index = y < i.pupilIndex.count ? i.pupilIndex[y] : (i.pupilIndex.last ?? 1)
            out.append(Year(offset: y, supply: early + established, need: need0 * index))
        }
        return out
    }

    /// Measured annual leaving rates from the register over the last full academic year: of the teachers in post
    /// at its start (early: in their first two years), the share whose partnership spell ended in it.
    public static func measuredRates(
        _ teachers: [TeacherRecord], asOf: Day, line: (TeacherRecord) -> Line?
    ) -> [Line: (early: (left: Int, atRisk: Int), established: (left: Int, atRisk: Int))] {
        let endYear = asOf.month >= 9 ? asOf.year : asOf.year - 1
        let start = Day(year: endYear - 1, month: 9, day: 1)!
        let end = Day(year: endYear, month: 8, day: 31)!
        var out: [Line: (early: (left: Int, atRisk: Int), established: (left: Int, atRisk: Int))] = [:]
        for t in teachers {
            guard let l = line(t), let first = t.firstPost, first < start else { continue }
            let inPostAtStart = t.periods.contains {
                $0.startedOn <= start && ($0.finishedOn.map { $0 >= start } ?? true)
            }
            guard inPostAtStart else { continue }
            let last = t.periods.compactMap(\.finishedOn).max()
            let lastPeriod = t.periods.first { $0.finishedOn == last }
            let left =
                !t.inPost && last.map { $0 >= start && $0 <= end } == true
                && lastPeriod?.endReason != .movedWithinPartnership
            let isEarly = start.ordinal - first.ordinal < 2 * 365
            var entry = out[l] ?? ((0, 0), (0, 0))
            if isEarly {
                entry.early.atRisk += 1
                if left { entry.early.left += 1 }
            } else {
                entry.established.atRisk += 1
                if left { entry.established.left += 1 }
            }
            out[l] = entry
        }
        return out
    }
}

extension SupplyForecast {
    /// DfE: of 100 new teachers, 11 leave within a year and 26 within three, so about 9.5% a year in the first two.
    public static let nationalEarlyLeaving = 0.095

    /// The forecast's inputs per line: today's FTE from the register (teachers in post at `asOf`, each counted
    /// once at their largest FTE; phase from their school, or from their specialism where the school's phase is
    /// unknown), leaving rates from the chosen source, newly qualified entrants at this year's measured intake
    /// (teachers whose first post began this academic year: the partnership's own trainees and others who chose
    /// its schools), and DfE's national returners and other entrants scaled by the region's share of the phase's
    /// teachers.
    public static func inputs(
        teachers: [TeacherRecord], phaseOf: (Int) -> String?, trainees: [TeachingSubject: Int],
        model: WorkforceModel, asOf: Day, source: RateSource, years: Int = 5
    ) -> [Inputs] {
        let year = asOf.month >= 9 ? asOf.year : asOf.year - 1
        func line(_ t: TeacherRecord, at day: Day) -> Line? {
            let open = t.periods.filter { $0.startedOn <= day && ($0.finishedOn.map { $0 >= day } ?? true) }
            guard let current = open.max(by: { $0.fte < $1.fte }) else {
                // Not in post on the day: place them by their last school, for the measured rates.
                guard let last = t.periods.max(by: { $0.startedOn < $1.startedOn }) else { return nil }
                return lineFor(t, urn: last.urn)
            }
            return lineFor(t, urn: current.urn)
        }
        func lineFor(_ t: TeacherRecord, urn: Int) -> Line? {
            let phase =
                phaseOf(urn)
                ?? (t.specialisms.first == .primary ? "Primary" : t.specialisms.isEmpty ? nil : "Secondary")
            guard let phase else { return nil }
            if phase == "Primary" { return Line(phase: "Primary", subject: .primary) }
            guard let subject = t.specialisms.first(where: { $0 != .primary }) else { return nil }
            return Line(phase: "Secondary", subject: subject)
        }
        var early: [Line: Double] = [:]
        var established: [Line: Double] = [:]
        var phaseFTE: [String: Double] = [:]
        var intake: [Line: Double] = [:]
        let thisYear = Day(year: year, month: 9, day: 1)!
        for t in teachers {
            let open = t.periods.filter { $0.startedOn <= asOf && ($0.finishedOn.map { $0 >= asOf } ?? true) }
            guard let fte = open.map(\.fte).max(), let l = line(t, at: asOf), let first = t.firstPost else { continue }
            if asOf.ordinal - first.ordinal < 2 * 365 {
                early[l, default: 0] += fte
            } else {
                established[l, default: 0] += fte
            }
            phaseFTE[l.phase, default: 0] += fte
            if first >= thisYear { intake[l, default: 0] += fte }
        }
        let startOfYear = Day(year: year, month: 9, day: 1)!
        let measured = measuredRates(teachers, asOf: asOf) { line($0, at: Day(ordinal: startOfYear.ordinal - 365)) }
        let lines = Set(early.keys).union(established.keys).sorted {
            ($0.phase, $0.subject) < ($1.phase, $1.subject)
        }
        return lines.map { l in
            let national = model.value("Total leaver rate", phase: l.phase, subject: l.subject, year: year)
            var earlyRate = nationalEarlyLeaving
            var establishedRate = national?.0 ?? 0.09
            var notes: [String] = []
            if source == .partnership, let m = measured[l] {
                if m.early.atRisk >= Retention.suppressionThreshold {
                    earlyRate = Double(m.early.left) / Double(m.early.atRisk)
                    notes.append("early-career \(m.early.left) of \(m.early.atRisk) left last year")
                } else {
                    notes.append("early-career: fewer than 10 at risk, so DfE's national 9.5%")
                }
                if m.established.atRisk >= Retention.suppressionThreshold {
                    establishedRate = Double(m.established.left) / Double(m.established.atRisk)
                    notes.append("others \(m.established.left) of \(m.established.atRisk) left last year")
                } else {
                    notes.append(
                        "others: fewer than 10 at risk, so DfE's national \(String(format: "%.1f%%", establishedRate * 100))"
                    )
                }
            } else {
                notes.append(
                    "DfE national: early-career 9.5%, others \(String(format: "%.1f%%", establishedRate * 100)) (\(national?.1 ?? "no figure; 9%"))"
                )
            }
            let share: Double
            if let p = model.pupils(phase: l.phase, year: year), p.teachers > 0 {
                share = (phaseFTE[l.phase] ?? 0) / p.teachers
            } else {
                share = 0
            }
            let returners = (model.value("Returners", phase: l.phase, subject: l.subject, year: year)?.0 ?? 0) * share
            let other =
                (model.value("New to state-funded sector entrants", phase: l.phase, subject: l.subject, year: year)?.0
                    ?? 0) * share
            let base = model.pupils(phase: l.phase, year: year)?.pupils ?? 1
            let index = (0...years).map { y in (model.pupils(phase: l.phase, year: year + y)?.pupils ?? base) / base }
            var inputs = Inputs(
                line: l, early: early[l] ?? 0, established: established[l] ?? 0, earlyLeaving: earlyRate,
                establishedLeaving: establishedRate, rateNote: notes.joined(separator: "; "),
                newlyQualified: intake[l] ?? 0, returners: returners, otherEntrants: other, pupilIndex: index)
            inputs.trainees = trainees[l.subject] ?? 0
            return inputs
        }
    }
}
