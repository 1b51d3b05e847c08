import Domain
import Vapor

/// A school as the API returns it. Keys are snake_case on the wire.
struct SchoolDTO: Content, Equatable {
    struct Authority: Content, Equatable {
        let code: String
        let dfeCode: String
        let name: String
    }

    struct CodeName: Content, Equatable {
        let code: String
        let name: String
    }

    let urn: Int
    let name: String
    let status: String
    let phase: String
    let phaseSource: String
    let establishmentType: String?
    let statutoryLowAge: Int?
    let statutoryHighAge: Int?
    let numberOfPupils: Int?
    let openDate: String?
    let closeDate: String?
    let town: String?
    let postcode: String?
    let easting: Double?
    let northing: Double?
    let latitude: Double?
    let longitude: Double?
    let localAuthority: Authority?
    let district: CodeName?
    let region: CodeName?
    let trust: CodeName?
    let ittLeadSchool: Bool
    let npqPp50: Bool?
    let npqRise: Bool?
    let npqHighPupilPremium202122: Bool?

    enum CodingKeys: String, CodingKey {
        case urn, name, status, phase, phaseSource, establishmentType, statutoryLowAge, statutoryHighAge,
            numberOfPupils, openDate, closeDate, town, postcode, easting, northing, latitude, longitude,
            localAuthority, district, region, trust, ittLeadSchool, npqPp50, npqRise
        case npqHighPupilPremium202122 = "npqHighPupilPremium_2021_22"
    }

    init(_ s: School) {
        urn = s.urn.value
        name = s.name
        status = s.status.rawValue
        phase = s.phase.rawValue
        phaseSource = s.phaseSource.rawValue
        establishmentType = s.establishmentType
        statutoryLowAge = s.statutoryLowAge
        statutoryHighAge = s.statutoryHighAge
        numberOfPupils = s.numberOfPupils
        openDate = s.openDate?.description
        closeDate = s.closeDate?.description
        town = s.town
        postcode = s.postcode
        easting = s.location?.easting
        northing = s.location?.northing
        latitude = s.coordinates?.latitude
        longitude = s.coordinates?.longitude
        localAuthority = s.localAuthority.map { Authority(code: $0.code, dfeCode: $0.dfeCode, name: $0.name) }
        district = s.district.map { CodeName(code: $0.code, name: $0.name) }
        region = s.region.map { CodeName(code: $0.code, name: $0.name) }
        trust = s.trust.map { CodeName(code: $0.code, name: $0.name) }
        ittLeadSchool = s.isITTLeadSchool
        npqPp50 = s.isNPQPP50
        npqRise = s.isRISE
        npqHighPupilPremium202122 = s.isHighPupilPremium202122
    }
}

/// A page of results: items, the total across pages, and where this page is.
struct PageDTO<Item: Content>: Content {
    let items: [Item]
    let total: Int
    let page: Int
    let perPage: Int
    let pageCount: Int

    init<T>(_ page: Domain.Page<T>, map: (T) -> Item) {
        items = page.items.map(map)
        total = page.total
        self.page = page.page
        perPage = page.perPage
        pageCount = page.pageCount
    }
}

struct OrganisationDTO: Content, Equatable {
    let id: String
    let name: String
    let kind: String
    let urn: Int?
    let localAuthorityCode: String?
    let ukprn: String?
    let website: String?
    let schoolCount: Int
    let partnershipIds: [String]

    init(_ o: Organisation, schoolCount: Int, partnerships: [PartnershipID]) {
        id = o.id.description
        name = o.name
        kind = o.kind.rawValue
        urn = o.urn?.value
        localAuthorityCode = o.localAuthorityCode
        ukprn = o.ukprn
        website = o.website
        self.schoolCount = schoolCount
        partnershipIds = partnerships.map(\.description)
    }
}

struct OrganisationListDTO: Content {
    let items: [OrganisationDTO]
    let total: Int
}

/// The people a caller may see, and counts by organisation and role (all a coordinator sees when the
/// partnership shares aggregates only).
struct PeopleDTO: Content {
    struct Count: Content {
        let organisationId: OrganisationID
        let organisationName: String
        let role: String
        let people: Int
    }

    let items: [PersonDTO]
    let total: Int
    let aggregatesOnly: Bool
    let counts: [Count]
}
