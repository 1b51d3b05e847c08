import Domain
import Plot

/// The cold-spots page's area table: the partnership's own supply and demand per local authority and district,
/// for all subjects or one, with the counts behind every ratio and DfE's national trainee need as context.
public enum AreaTableSection {
    public struct Model: Sendable {
        public var table: AreaTable
        /// The subject shown, or nil for all subjects.
        public var subject: TeachingSubject?
        /// DfE's national postgraduate trainee need for the subject, and the year it is for.
        public var need: (year: AcademicYear, trainees: Int)?
        /// The academic year whose placement offers and trainees are counted.
        public var placementYear: AcademicYear
        /// The summer whose internships are counted.
        public var internshipYear: Int

        public init(
            table: AreaTable, subject: TeachingSubject?, need: (year: AcademicYear, trainees: Int)?,
            placementYear: AcademicYear, internshipYear: Int
        ) {
            self.table = table
            self.subject = subject
            self.need = need
            self.placementYear = placementYear
            self.internshipYear = internshipYear
        }
    }

    public static let csvPath = "/coldspots/areas.csv"
    public static let subjectField = "area_subject"

    /// `keep` is the cold-spot settings' query, carried through the subject form so the map above stays as it is.
    /// The section: its explanation and subject form always; the tables when `m` holds them (once asked for).
    public static func html(_ m: Model?, keep: [(String, String?)], problems: [ValidationError.Problem] = [])
        -> [Node<HTML.BodyContext>]
    {
        var out: [Node<HTML.BodyContext>] = [
            .h2(.id("area-table"), .text("Supply and demand by area")),
            .p(
                .text(
                    "The partnership's own records, area by area: this planning year's placement places offered and the trainees who live there (by home postcode), open maths and science vacancies and the candidates partners referred, the share of hours taught by specialists, TSST enrolments, and this summer's internship places and applicants. A local authority adds up its districts; a record filed under two subjects or districts counts once in a total."
                )),
            .p(
                .text(
                    "Counts of 1 to 9 people are shown as \u{201C}fewer than 10\u{201D}, and a ratio is shown only when it rests on at least 10 (trainees, vacancies or places) and its count of people is not suppressed. Specialist shares need at least 10 hours."
                )),
            .form(
                .method(.get), .action(ColdSpotsPage.path + "#area-table"),
                .group(keep.compactMap { k, v in v.map { .input(.type(.hidden), .name(k), .value($0)) } }),
                Form.select(
                    subjectField, label: "Subject",
                    options: [("", "All subjects")] + TeachingSubject.allCases.map { ($0.rawValue, $0.label) },
                    selected: m?.subject?.rawValue ?? "", problems: problems),
                Form.submit(m == nil ? "Show the area table" : "Show subject", secondary: true)
            ),
        ]
        guard let m else { return out }
        let subjectName = m.subject?.label.lowercased() ?? "all subjects"
        out.append(
            .p(
                .text(
                    "Placement places and trainees are for \(m.placementYear); internships for summer \(m.internshipYear)."
                )))
        if let need = m.need {
            out.append(
                .div(
                    .class("app-inset"),
                    .text(
                        "For context: DfE's Teacher Workforce Model puts England's need for postgraduate trainees in \(subjectName) in \(need.year) at \(need.trainees.formatted). It is a national figure and is not shared out among areas here."
                    )))
        }
        out.append(.h3(.text("Placements")))
        out.append(
            table(
                m.table, id: "area-placements",
                caption: "Placement places and trainees per area, \(subjectName), \(m.placementYear)",
                columns: ["Places offered", "Trainees living here", "Places per trainee"]
            ) { r in
                [count(r, .placesOffered), count(r, .traineesSeeking), ratio(r.placesPerTrainee)]
            })
        out.append(.h3(.text("Maths and science specialists")))
        out.append(
            table(
                m.table, id: "area-specialists",
                caption: "Specialist vacancies, teaching and TSST per area, \(subjectName)",
                columns: [
                    "Open vacancies", "Candidates referred", "Referrals per vacancy", "Specialist share of hours",
                    "TSST enrolments",
                ]
            ) { r in
                [
                    count(r, .openVacancies), count(r, .referrals), ratio(r.referralsPerVacancy),
                    SpecialistPages.cell(r.hours), count(r, .tsstEnrolments),
                ]
            })
        out.append(.h3(.text("Undergraduate internships")))
        out.append(
            table(
                m.table, id: "area-internships",
                caption: "Internship places and applicants per area, \(subjectName), summer \(m.internshipYear)",
                columns: ["Internship places", "Applicants", "Applicants per place"]
            ) { r in
                [count(r, .internshipPlaces), count(r, .internshipApplicants), ratio(r.applicantsPerPlace)]
            })
        out.append(
            .p(
                .a(
                    .class("app-button app-button--secondary"),
                    .href(SitePath.with(csvPath, query: [])),
                    .text("Download the area table (CSV, every subject)"))))
        return out
    }

    static func count(_ r: AreaTable.Row, _ m: AreaMeasure) -> String {
        r.shown(m).map(\.formatted) ?? "fewer than 10"
    }

    static func ratio(_ r: AreaRatio) -> String {
        guard let v = r.value else { return "not shown" }
        return String(format: "%.2f", v)
    }

    static func table(
        _ t: AreaTable, id: String, caption: String, columns: [String], cells: (AreaTable.Row) -> [String]
    ) -> Node<HTML.BodyContext> {
        .table(
            .class("app-table"), .id(id),
            .caption(.class("app-table__caption"), .text(caption)),
            .thead(
                .tr(SpecialistPages.header("Area", numeric: false), .group(columns.map { SpecialistPages.header($0) }))),
            .tbody(
                .forEach(t.rows) { r in
                    .tr(
                        .th(
                            .attribute(named: "scope", value: "row"),
                            .if(r.level == .district, .class("app-area-district")),
                            .text(r.name)),
                        .group(cells(r).map(SpecialistPages.numeric))
                    )
                })
        )
    }
}
