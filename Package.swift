// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "chalkface",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "chalkface", targets: ["chalkface"])
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/JohnSundell/Plot.git", from: "0.14.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        // zlib from the system, to read the gzip-compressed ONS postcode directory directly.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(name: "Domain"),
        .target(
            name: "Persistence",
            dependencies: [
                "Domain", "CZlib",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
            ],
            resources: [.copy("Resources")]
        ),
        .target(
            name: "Pages",
            dependencies: ["Domain", .product(name: "Plot", package: "Plot")]
        ),
        .target(
            name: "WebApp",
            dependencies: [
                "Domain", "Persistence", "Pages",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "chalkface",
            dependencies: [
                "WebApp", "Persistence", "Domain",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "DomainTests",
            dependencies: ["Domain", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "PersistenceTests", dependencies: ["Persistence", "Domain"]),
        .testTarget(name: "PagesTests", dependencies: ["Pages", "Domain"]),
        .testTarget(
            name: "WebAppTests",
            dependencies: [
                "WebApp", "Persistence", "Domain",
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
