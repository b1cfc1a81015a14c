package com.esii.support.hub.testing;

import io.quarkus.test.common.QuarkusTestResource;

/**
 * The external systems every {@code @QuarkusTest} runs against (global test resources): PostgreSQL and the
 * mail server. The demo profile test turns them off and brings its own.
 */
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(GreenMailResource.class)
@QuarkusTestResource(TestSettings.class)
public class HubTestResources {
}
