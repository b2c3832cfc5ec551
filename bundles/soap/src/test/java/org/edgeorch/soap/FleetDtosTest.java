package org.edgeorch.soap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.StringReader;
import java.util.List;

import javax.xml.bind.JAXBContext;
import javax.xml.transform.stream.StreamSource;

import org.junit.jupiter.api.Test;

/** A change names what it changes: no {@code <metadata>} keeps the metadata, an empty one removes it. */
class FleetDtosTest {

    private static FleetDtos.RegionUpdate read(String xml) throws Exception {
        String document = "<update xmlns=\"" + PlatformService.NAMESPACE + "\">" + xml + "</update>";
        return JAXBContext.newInstance(FleetDtos.RegionUpdate.class).createUnmarshaller()
                .unmarshal(new StreamSource(new StringReader(document)), FleetDtos.RegionUpdate.class).getValue();
    }

    @Test
    void absentMetadataIsNullAndAnEmptyWrapperIsAnEmptyList() throws Exception {
        FleetDtos.RegionUpdate keep = read("<parent>eu</parent>");
        assertEquals("eu", keep.parent);
        assertNull(keep.metadata);

        FleetDtos.RegionUpdate clear = read("<parent></parent><metadata/>");
        assertEquals("", clear.parent);
        assertEquals(List.of(), clear.metadata);

        FleetDtos.RegionUpdate replace = read("<metadata><entry><key>tier</key><value>gold</value></entry></metadata>");
        assertNull(replace.parent);
        assertEquals("tier", replace.metadata.get(0).key);
    }
}
