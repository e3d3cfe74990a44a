package io.tributary.lake.parquet;

import java.io.IOException;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/** An OutputFile that remembers how far its stream got, so that buffered (in-memory) bytes can be told from written ones. */
final class PositionTrackingOutputFile implements OutputFile {
    private final OutputFile delegate;
    private PositionOutputStream stream;

    PositionTrackingOutputFile(OutputFile delegate) {
        this.delegate = delegate;
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) throws IOException {
        stream = delegate.create(blockSizeHint);
        return stream;
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
        stream = delegate.createOrOverwrite(blockSizeHint);
        return stream;
    }

    @Override
    public boolean supportsBlockSize() {
        return delegate.supportsBlockSize();
    }

    @Override
    public long defaultBlockSize() {
        return delegate.defaultBlockSize();
    }

    @Override
    public String getPath() {
        return delegate.getPath();
    }

    long position() {
        try {
            return stream == null ? 0 : stream.getPos();
        } catch (IOException e) {
            return 0;
        }
    }
}
