import Domain
import Fluent
import Pages
import Persistence
import SQLKit
import Vapor

/// Sets up the database and migrations only: what every command needs.
public func configureDatabase(_ app: Application, _ config: AppConfiguration) throws {
    app.databases.use(try config.database.configuration, as: config.database.databaseID)
    app.migrations.add(Migrations.all)
}

/// Migrates, then (if asked) loads the bundled schools and the demo partnership into an empty database.
public func prepareDatabase(_ app: Application, _ config: AppConfiguration) async throws {
    if case .sqlite = config.database {
        // Write-ahead logging lets readers carry on while an import writes.
        _ = try await (app.db as? any SQLDatabase)?.raw("PRAGMA journal_mode=WAL").all()
    }
    try await LockWait.apply(
        app.databases, id: config.database.databaseID, eventLoops: app.eventLoopGroup, logger: app.logger)
    try await app.autoMigrate()
    if config.seedDemoData {
        let report = try await DemoSeed.run(on: app.db)
        if let s = report.schools {
            app.logger.notice(
                "Loaded the bundled regional schools: \(s.inserted) inserted, \(s.rejected.count) rejected")
        }
        if report.organisationsCreated > 0 {
            app.logger.notice("Created the demo partnership with \(report.organisationsCreated) member organisations")
        }
        if config.seedPostcodes {
            let n = try await DemoSeed.loadPilotPostcodes(on: app.db)
            if n > 0 { app.logger.notice("Loaded \(n) postcodes of the pilot regions (for geocoding home postcodes)") }
        }
        let year = PlacementOfferController.planningYear(app.clock.now())
        let placements = try await DemoPlacements.seed(on: app.db, year: year, now: app.clock.now())
        if placements.offers > 0 {
            app.logger.notice(
                "Created demo placement offers from \(placements.offers) schools and \(placements.trainees) trainees for \(year)"
            )
        }
        if config.seedWorkforce {
            let teachers = try await DemoWorkforce.seed(
                on: app.db, today: Day.inUK(app.clock.now()), now: app.clock.now(),
                sampleEvery: config.workforceSampleEvery)
            if teachers > 0 {
                app.logger.notice("Generated a demo workforce of \(teachers) teachers since 2010 (marked as generated)")
            }
        }
        let programmes = try await DemoCPD.seed(on: app.db, today: Day.inUK(app.clock.now()), now: app.clock.now())
        if programmes > 0 {
            app.logger.notice("Added \(programmes) CPD programmes to the catalogue (DfE's NPQs and demo programmes)")
        }
        if config.seedWorkforce {
            let mentored = try await DemoDevelopment.seed(
                on: app.db, today: Day.inUK(app.clock.now()), now: app.clock.now())
            if mentored > 0 {
                app.logger.notice("Generated mentors and development profiles for \(mentored) early-career teachers")
            }
            let deployed = try await DemoDeployment.seed(
                on: app.db, today: Day.inUK(app.clock.now()), now: app.clock.now())
            if deployed > 0 {
                app.logger.notice("Generated a demo curriculum deployment of \(deployed) rows for secondary schools")
            }
        }
        let evidence = try await DemoEvidence.seed(
            on: app.db, today: Day.inUK(app.clock.now()), now: app.clock.now())
        if evidence.resources > 0 {
            app.logger.notice(
                "Added \(evidence.resources) demo Research School resources and \(evidence.engagements) generated research engagements"
            )
        }
        if let partnership = try await OrganisationStore(app.db).mainPartnership() {
            let reviews = try await DemoPost16.seed(
                on: app.db, localAuthorities: partnership.localAuthorityCodes, today: Day.inUK(app.clock.now()),
                now: app.clock.now())
            if reviews > 0 { app.logger.notice("Generated \(reviews) demo post-16 reviews") }
        }
        let choices = try await DemoApplications.seed(
            on: app.db, today: Day.inUK(app.clock.now()), now: app.clock.now(), choices: config.demoApplicationChoices)
        if choices > 0 { app.logger.notice("Generated a demo recruitment cycle of \(choices) application choices") }
        let answers = try await DemoSurvey.seed(on: app.db, today: Day.inUK(app.clock.now()), now: app.clock.now())
        if answers > 0 { app.logger.notice("Generated a demo barrier survey with \(answers) responses") }
        let accounts = try await DemoAccounts.seed(app, registerRecords: config.seedWorkforce)
        if !accounts.isEmpty {
            var candidates: [(PersonID, String)] = []
            for account in accounts where account.role == .applicant || account.role == .undergraduate {
                if let p = try await PeopleStore(app.db).credentials(email: account.email)?.person {
                    candidates.append((p.id, p.name))
                }
            }
            let dates = try await DemoExperience.seed(
                on: app.db, candidates: candidates, today: Day.inUK(app.clock.now()), now: app.clock.now())
            if dates > 0 { app.logger.notice("Offered \(dates) demo school experience dates at member schools") }
            let internships = try await DemoInternships.seed(
                on: app.db, today: Day.inUK(app.clock.now()), now: app.clock.now())
            if internships > 0 {
                app.logger.notice("Offered \(internships) demo undergraduate internships for next summer")
            }
            let vacancies = try await DemoVacancies.seed(on: app.db, today: Day.inUK(app.clock.now()))
            if vacancies > 0 { app.logger.notice("Posted \(vacancies) demo maths and science vacancies") }
            let returners = try await DemoReturners.seed(on: app.db, today: Day.inUK(app.clock.now()))
            if returners > 0 { app.logger.notice("Added \(returners) demo returners to maths and science") }
            let events = try await DemoEvents.seed(on: app.db, today: Day.inUK(app.clock.now()))
            if events > 0 { app.logger.notice("Added \(events) demo recruitment events") }
            app.demoAccounts = accounts
            app.logger.notice("\(DemoAccounts.announcement(accounts, url: config.publicURL))")
        }
    }
    // DfE's NPQs belong in every catalogue (real courses and lead providers, no dates).
    let npqs = try await NPQCatalogue.seed(on: app.db, now: app.clock.now())
    if npqs > 0 { app.logger.notice("Added DfE's \(npqs) NPQs to the CPD catalogue") }
}

/// Configures the whole web application: database, middleware and routes.
public func configure(_ app: Application, _ config: AppConfiguration) async throws {
    app.logger.logLevel = config.logLevel
    app.configuration = config
    app.http.server.configuration.hostname = config.hostname
    app.http.server.configuration.port = config.port
    // A connection that sends nothing for this long (a stalled or deliberately slow client) is closed.
    app.http.server.configuration.idleTimeout = .seconds(30)
    try configureDatabase(app, config)
    try await prepareDatabase(app, config)

    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    ContentConfiguration.global.use(encoder: encoder, for: .json)

    app.schoolResponseCache = SchoolResponseCache()
    app.registerCache = RegisterCache()
    Observability.bootstrapMetrics()
    app.heavyWork = HeavyWorkLimiter()
    app.coldSpotCache = ColdSpotCache()
    app.publicPageCache = PublicPageCache()
    app.lifecycle.use(DataVersionWatcher())

    app.middleware = Middlewares()
    // One line per request, with its request-id (as the response's X-Request-Id), method and path.
    app.middleware.use(RouteLoggingMiddleware(logLevel: .info))
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(ErrorMiddleware())
    app.middleware.use(NulCharacterMiddleware())
    app.middleware.use(AuthenticationMiddleware())
    // After authentication, so a read-only token's write is refused as such; before the CSRF check, so a form
    // posted to an address that takes no forms is told so.
    app.middleware.use(MethodNotAllowedMiddleware())
    app.middleware.use(CSRFMiddleware())
    app.middleware.use(PublicPageCacheMiddleware())
    try routes(app)
}

func routes(_ app: Application) throws {
    app.get("assets", "chalkface.css", access: .everyone) { _ in
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "css", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        return Response(status: .ok, headers: headers, body: .init(string: Stylesheet.css))
    }
    app.get("healthz", access: .everyone) { req async throws -> HealthDTO in
        guard let sql = req.db as? any SQLDatabase else { throw Abort(.internalServerError) }
        _ = try await sql.raw("SELECT 1 AS ok").all()
        let kind = req.application.configuration.map { c in
            switch c.database {
            case .sqlite: "sqlite"
            case .postgres: "postgresql"
            }
        }
        return HealthDTO(status: "ok", database: kind ?? "unknown")
    }
    app.get("metrics", access: .everyone) { req -> Response in
        guard Observability.mayReadMetrics(req) else {
            throw Abort(
                .forbidden,
                reason: "Metrics are served to this machine only, or with the METRICS_TOKEN as a bearer token.")
        }
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(
            type: "text", subType: "plain", parameters: ["version": "0.0.4", "charset": "utf-8"])
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(string: Observability.exposition()))
    }
    try app.register(collection: PageController())
    try app.register(collection: ColdSpotsController())
    try app.grouped("api", "v1").register(collection: APIController())
    try app.register(collection: SessionController())
    try app.register(collection: AccountController())
    try app.register(collection: PeopleController())
    try app.register(collection: AdminController())
    try app.register(collection: PlacementOfferController())
    try app.register(collection: TraineeController())
    try app.register(collection: RecruitController())
    try app.register(collection: RetentionController())
    try app.register(collection: TeacherLinkController())
    try app.register(collection: CPDController())
    try app.register(collection: EvidenceController())
    try app.register(collection: PeerGroupController())
    try app.register(collection: DevelopmentController())
    try app.register(collection: SpecialistController())
    try app.register(collection: InternshipController())
    try app.register(collection: VacancyController())
    try app.register(collection: ReturnerController())
    try app.register(collection: Post16Controller())
    try app.register(collection: ExperienceController())
    try app.register(collection: EventController())
    try app.register(collection: ApplicationController())
    try app.register(collection: SurveyController())
    try app.register(collection: AdviceController())
    try app.register(collection: CPDAPIController())
    try app.register(collection: ApplicantAPIController())
    try app.register(collection: WorkforceAPIController())
    try app.register(collection: EarlyCareerAPIController())
    try app.register(collection: SpecialistAPIController())
    try app.register(collection: RecruitmentAPIController())
    try app.register(collection: AllocationController())
    try app.checkEveryRouteHasAnAccessRule()
}

struct HealthDTO: Content {
    let status: String
    let database: String
}

extension Application {
    struct ConfigurationKey: StorageKey {
        typealias Value = AppConfiguration
    }

    /// The configuration the application was started with.
    public var configuration: AppConfiguration? {
        get { storage[ConfigurationKey.self] }
        set { storage[ConfigurationKey.self] = newValue }
    }
}
