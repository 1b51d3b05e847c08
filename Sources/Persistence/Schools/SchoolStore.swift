import Domain
import FluentKit
import SQLKit

/// Reads and writes schools.
public struct SchoolStore: Sendable {
    let database: any Database

    public init(_ database: any Database) { self.database = database }

    /// One page of schools matching the query, ordered by name then URN (a stable order across pages).
    public func list(_ query: SchoolQuery) async throws -> Domain.Page<School> {
        let sql = try database.sql
        let total =
            try await filtered(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n"), query)
            .first(decodingColumn: "n", as: Int.self) ?? 0
        let rows = try await filtered(sql.selectSchoolColumns(), query)
            .orderBy("name_search").orderBy("urn")
            .limit(query.perPage).offset(query.offset)
            .all(decoding: SchoolRow.self)
        return Domain.Page(
            items: try rows.map { try $0.toDomain() }, total: total, page: query.page, perPage: query.perPage)
    }

    /// Every school matching the filters (search and paging ignored), in list order: for exports.
    public func all(_ query: SchoolQuery = SchoolQuery(status: .all)) async throws -> [School] {
        let sql = try database.sql
        var q = query
        q.search = nil
        return try await filtered(sql.selectSchoolColumns(), q)
            .orderBy("name_search").orderBy("urn")
            .all(decoding: SchoolRow.self).map { try $0.toDomain() }
    }

    /// Open schools of several local authorities (GSS codes) in one query, ordered by authority name, then as lists.
    public func open(inLocalAuthorities codes: [String]) async throws -> [School] {
        guard !codes.isEmpty else { return [] }
        return try await filtered(selectSchools(), SchoolQuery(status: .open))
            .where("la_code", .in, codes)
            .orderBy("la_name").orderBy("name_search").orderBy("urn")
            .all(decoding: SchoolRow.self).map { try $0.toDomain() }
    }

    /// A SELECT of every school column, ready for a FROM and filters.
    func selectSchools() throws -> SQLSelectBuilder { try database.sql.selectSchoolColumns() }

    func filtered(_ select: SQLSelectBuilder, _ query: SchoolQuery) -> SQLSelectBuilder {
        let select = select.from("schools")
        switch query.status {
        case .open:
            select.where("status", .in, [SchoolStatus.open.rawValue, SchoolStatus.openProposedToClose.rawValue])
        case .closed: select.where("status", .equal, SchoolStatus.closed.rawValue)
        case .all: break
        }
        if let la = query.localAuthority {
            select.where { $0.where("la_code", .equal, la).orWhere("la_code_dfe", .equal, la) }
        }
        if let district = query.district { select.where("lad_code", .equal, district) }
        if let phase = query.phase { select.where("phase", .equal, phase.rawValue) }
        if let lead = query.ittLeadSchool { select.where("itt_lead_school", .equal, lead) }
        switch query.searchKind {
        case nil: break
        case .urn(let urn): select.where("urn", .equal, urn.value)
        case .postcode(let postcode):
            select.where("postcode_compact", .equal, postcode.filter { $0 != " " })
        case .postcodePrefix(let prefix, let name):
            select.where { group in
                group.where(SQLQueryString("postcode_compact LIKE \(bind: Self.postcodePattern(prefix)) ESCAPE '!'"))
                Self.nameWords(name, in: group, or: true)
                return Self.place(name, in: group)
            }
        case .name(let name):
            select.where { group in
                Self.nameWords(name, in: group, or: true)
                return Self.place(name, in: group)
            }
        }
        return select
    }

    /// Every word of the search must appear in the name.
    @discardableResult
    static func nameWords<B: SQLPredicateBuilder>(_ text: String, in builder: B, or: Bool) -> B {
        let words = SchoolRow.searchText(text).split(separator: " ").map(String.init)
        // Text with no letters or digits matches no name.
        guard !words.isEmpty else { return or ? builder.orWhere(SQLRaw("1 = 0")) : builder.where(SQLRaw("1 = 0")) }
        let all = SQLGroupExpression(
            SQLList(
                words.map { SQLQueryString("name_search LIKE \(bind: likePattern($0, anywhere: true)) ESCAPE '!'") },
                separator: SQLRaw(" AND ")))
        return or ? builder.orWhere(all) : builder.where(all)
    }

    /// A whole outward code ("CT1": CT1 1AA but not CT17 1AA) or a postcode sector ("ME1 1"): the inward code
    /// is always a digit and two letters, so the compact postcode is the prefix plus exactly the rest of it.
    static func postcodePattern(_ prefix: String) -> String {
        let parts = prefix.split(separator: " ")
        let compact = parts.joined()
        let rest = parts.count > 1 ? "__" : "___"
        return likePattern(compact, anywhere: false).dropLast() + rest
    }

    /// Schools in the town or district of that name ("Canterbury": the schools of Canterbury, not only those
    /// with it in their name).
    @discardableResult
    static func place<B: SQLPredicateBuilder>(_ text: String, in builder: B) -> B {
        let place = text.trimmingSpaces.lowercased()
        return builder.orWhere(SQLFunction("LOWER", args: SQLColumn("town")), .equal, SQLBind(place))
            .orWhere(SQLFunction("LOWER", args: SQLColumn("lad_name")), .equal, SQLBind(place))
    }

    static func likePattern(_ text: String, anywhere: Bool) -> String {
        var escaped = ""
        for c in text {
            if c == "%" || c == "_" || c == "!" { escaped.append("!") }
            escaped.append(c)
        }
        return (anywhere ? "%" : "") + escaped + "%"
    }

    public func find(_ urn: URN) async throws -> School? {
        try await selectSchools().from("schools")
            .where("urn", .equal, urn.value)
            .first(decoding: SchoolRow.self)?.toDomain()
    }

    /// The schools with these URNs that exist, by URN, in one query per thousand.
    public func find(_ urns: some Collection<URN>) async throws -> [URN: School] {
        var out: [URN: School] = [:]
        let values = Array(Set(urns.map(\.value))).sorted()
        for start in stride(from: 0, to: values.count, by: 1_000) {
            let chunk = Array(values[start..<min(start + 1_000, values.count)])
            for row in try await selectSchools().from("schools").where("urn", .in, chunk).all(decoding: SchoolRow.self)
            {
                let school = try row.toDomain()
                out[school.urn] = school
            }
        }
        return out
    }

    /// Schools whose grid position lies within `radius` metres of `point`, nearest first.
    public func near(_ point: GridPoint, radius: Double, limit: Int = 200) async throws -> [School] {
        let rows = try await selectSchools().from("schools")
            .where("easting", .greaterThanOrEqual, point.easting - radius)
            .where("easting", .lessThanOrEqual, point.easting + radius)
            .where("northing", .greaterThanOrEqual, point.northing - radius)
            .where("northing", .lessThanOrEqual, point.northing + radius)
            .where("status", .in, [SchoolStatus.open.rawValue, SchoolStatus.openProposedToClose.rawValue])
            .all(decoding: SchoolRow.self)
        return try rows.map { try $0.toDomain() }
            .filter { $0.location.map { $0.distance(to: point) <= radius } ?? false }
            .sorted { $0.location!.distance(to: point) < $1.location!.distance(to: point) }
            .prefix(limit).map { $0 }
    }

    public func count(status: SchoolQuery.StatusFilter = .open) async throws -> Int {
        let select = try database.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
        return try await filtered(select, SchoolQuery(status: status)).first(decodingColumn: "n", as: Int.self) ?? 0
    }

    /// Open schools per local authority, with the authority: for filters and headline counts.
    public func localAuthorities() async throws -> [(authority: LocalAuthority, schools: Int)] {
        let rows = try await database.sql.select()
            .column("la_code").column("la_code_dfe").column("la_name")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("schools")
            .where("la_code", .isNot, SQLLiteral.null)
            .where("status", .in, [SchoolStatus.open.rawValue, SchoolStatus.openProposedToClose.rawValue])
            .groupBy("la_code").groupBy("la_code_dfe").groupBy("la_name")
            .orderBy("la_name")
            .all()
        return try rows.map {
            (
                LocalAuthority(
                    code: try $0.decode(column: "la_code", as: String.self),
                    dfeCode: try $0.decode(column: "la_code_dfe", as: String.self),
                    name: try $0.decode(column: "la_name", as: String.self)),
                try $0.decode(column: "n", as: Int.self)
            )
        }
    }

    /// Districts with open schools, optionally within one local authority (GSS or DfE code).
    public func districts(localAuthority: String? = nil) async throws -> [District] {
        let select = try database.sql.select().distinct()
            .column("lad_code").column("lad_name")
            .from("schools")
            .where("lad_code", .isNot, SQLLiteral.null)
            .where("status", .in, [SchoolStatus.open.rawValue, SchoolStatus.openProposedToClose.rawValue])
        if let la = localAuthority?.uppercased() {
            select.where { $0.where("la_code", .equal, la).orWhere("la_code_dfe", .equal, la) }
        }
        let rows = try await select.orderBy("lad_name").all()
        return try rows.map {
            District(
                code: try $0.decode(column: "lad_code", as: String.self),
                name: try $0.decode(column: "lad_name", as: String.self))
        }
    }
}

extension SQLDatabase {
    /// A SELECT of every column `SchoolRow` decodes.
    func selectSchoolColumns() -> SQLSelectBuilder { select().columns(SchoolRow.columns.map { SQLColumn($0) }) }
}
