package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TabWriterTest {
    static final String HEADER = "ID\tPID\tSTATUS\tBUNDLE\tCREATED\tOWNER\n";

    @Test
    void runcListWithNoContainers() {
        // runc 1.1.5: `runc --root /empty list`
        assertEquals("ID          PID         STATUS      BUNDLE      CREATED     OWNER\n",
                TabWriter.runcList().write(HEADER).flush());
    }

    @Test
    void runcListWithOneContainer() {
        // runc 1.1.5 printed exactly these two lines for a created busybox container
        String out = TabWriter.runcList().write(HEADER)
                .write("c1\t12002\tcreated\t/tmp/rs\t2026-11-24T06:18:40.140960339Z\troot\n").flush();
        assertEquals("ID          PID         STATUS      BUNDLE      CREATED                          OWNER\n"
                + "c1          12002       created     /tmp/rs     2026-11-24T06:18:40.140960339Z   root\n", out);
    }

    @Test
    void wideCellsGetThePadding() {
        // runc 1.1.5 for a container with a long id and bundle
        String runc = TabWriter.runcList().write(HEADER)
                .write("a-rather-long-id\t13909\tcreated\t/tmp/srv/bundles/a-rather-long-id\t"
                        + "2026-11-24T06:20:25.279148295Z\troot\n").flush();
        assertEquals("ID                 PID         STATUS      BUNDLE                              CREATED"
                + "                          OWNER\n"
                + "a-rather-long-id   13909       created     /tmp/srv/bundles/a-rather-long-id   "
                + "2026-11-24T06:20:25.279148295Z   root\n", runc);
    }

    @Test
    void everyRowWidensItsColumn() {
        String out = TabWriter.runcList().write(HEADER)
                .write("a-rather-long-id\t1\trunning\t/srv/bundles/a-rather-long-id\t2024-05-01T10:00:00Z\troot\n")
                .write("c2\t0\tstopped\t/b\t2024-05-01T10:00:00.5Z\tmallory\n").flush();
        assertEquals("ID                 PID         STATUS      BUNDLE                          CREATED                  OWNER\n"
                + "a-rather-long-id   1           running     /srv/bundles/a-rather-long-id   2024-05-01T10:00:00Z     root\n"
                + "c2                 0           stopped     /b                              2024-05-01T10:00:00.5Z   mallory\n",
                out);
    }

    @Test
    void widthsCountCharactersNotBytes() {
        String out = new TabWriter(1, 1).write("\u00e9\u00e9\tx\nab\ty\n").flush();
        assertEquals("\u00e9\u00e9 x\nab y\n", out);
    }

    @Test
    void columnsAreBlocksOfConsecutiveLines() {
        // the line without a tab ends the block: the columns after it are sized on their own
        String out = new TabWriter(0, 1).write("a\tb\nlonger\tc\nplain\nx\ty\n").flush();
        assertEquals("a      b\nlonger c\nplain\nx y\n", out);
    }

    @Test
    void textWithoutAFinalNewlineKeepsNone() {
        assertEquals("a  b", new TabWriter(0, 2).write("a\tb").flush());
        assertEquals("", new TabWriter(0, 2).flush());
    }
}
