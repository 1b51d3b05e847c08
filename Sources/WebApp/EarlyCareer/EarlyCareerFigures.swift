import Domain
import Fluent
import Pages
import Persistence
import Vapor

/// The early-career analyses the pages, the API and the CLI (`chalkface ects`) share, so they give the same numbers.
public enum EarlyCareerFigures {
    /// Register records with an early-career period open on the day.
    static func ects(_ register: [TeacherRecord], on day: Day) -> Set<UUID> {
        Set(register.filter { DevelopmentController.ectPeriod($0, on: day) != nil }.map(\.id))
    }

    /// This term's development areas across the register's ECTs against the catalogue's supply (`DevelopmentDemand`).
    public static func demand(_ db: any Database, today: Day) async throws -> DevelopmentPages.Areas {
        let year = AcademicYear.containing(today)
        let term = Term.containing(today)
        let ects = Self.ects(try await TeacherStore(db).all(), on: today)
        var byTeacher: [UUID: (own: DevelopmentProfile?, mentor: DevelopmentProfile?)] = [:]
        for p in try await DevelopmentStore(db).profiles(year: year, term: term) where ects.contains(p.teacher) {
            if p.rater == .ect {
                byTeacher[p.teacher, default: (nil, nil)].own = p
            } else {
                byTeacher[p.teacher, default: (nil, nil)].mentor = p
            }
        }
        let needs = byTeacher.values.map { DevelopmentNeeds(own: $0.own, mentor: $0.mentor) }
        let store = CPDStore(db)
        let since = Day(year: year.start, month: 9, day: 1)?.startInUK ?? .distantPast
        let takeUps = try await DevelopmentStore(db).takeUps(since: since)
        var byArea: [ECFArea: Int] = [:]
        for t in takeUps { for a in Set(t.takeUp.areas) { byArea[a, default: 0] += 1 } }
        let rows = DevelopmentDemand.rows(
            needs: needs, programmes: try await store.programmes(), cohorts: try await store.cohorts(), today: today,
            takenUp: byArea)
        return DevelopmentPages.Areas(
            year: year, term: term, ects: ects.count, rows: rows, takenUp: takeUps.count,
            accepted: takeUps.count { $0.status == .accepted || $0.status == .completed })
    }

    /// `area,ects,profiled,share,programmes,places,taken_up`: counts of 1 to 9 teachers and shares resting on them
    /// empty, as on the page.
    public static func areasCSV(_ m: DevelopmentPages.Areas) -> String {
        let smallest = DevelopmentPages.smallest
        func count(_ n: Int) -> String { n == 0 || n >= smallest ? String(n) : "" }
        var text = "area,ects,profiled,share,programmes,places,taken_up\n"
        for r in m.rows {
            let share =
                r.ects >= smallest && r.profiled >= smallest
                ? String(format: "%.4f", Double(r.ects) / Double(r.profiled)) : ""
            text +=
                [
                    r.area.rawValue, count(r.ects), count(r.profiled), share, String(r.programmes), String(r.places),
                    String(r.takenUp),
                ].joined(separator: ",") + "\n"
        }
        return text
    }

    /// Where ECTs with similar starts went (`CareerPaths`): the basis and rows for a subject.
    public static func paths(_ register: [TeacherRecord], subject: TeachingSubject, today: Day) -> (
        basis: CareerPaths.Basis, rows: [CareerPaths.Row]
    ) {
        let basis = CareerPaths.basis(for: subject, register: register, today: today)
        return (basis, CareerPaths.rows(register: register, basis: basis, today: today))
    }

    /// `years,people,teaching,leading,mentoring,moved_school`: every figure empty when fewer than 10 people.
    public static func pathsCSV(_ rows: [CareerPaths.Row]) -> String {
        var text = "years,people,teaching,leading,mentoring,moved_school\n"
        for r in rows {
            let values =
                r.shown
                ? [r.people, r.teaching, r.leading, r.mentoring, r.movedSchool].map(String.init) : ["", "", "", "", ""]
            text += ([String(r.years)] + values).joined(separator: ",") + "\n"
        }
        return text
    }
}
