<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN" sourcelanguage="en">
<context>
    <name>AqiBand</name>
    <message>
        <location filename="../../widgets/theme.py" line="+58"/>
        <source>Good</source>
        <translation>Tốt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Moderate</source>
        <translation>Trung bình</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Poor</source>
        <translation>Kém</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bad</source>
        <translation>Xấu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Very bad</source>
        <translation>Rất xấu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hazardous</source>
        <translation>Nguy hại</translation>
    </message>
</context>
<context>
    <name>KpiTile</name>
    <message numerus="yes">
        <location filename="../../widgets/kpi_tile.py" line="+106"/>
        <source>%n item(s) need attention</source>
        <translation>
            <numerusform>%n mục cần xử lý</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TimeSeriesPlot</name>
    <message>
        <location filename="../../widgets/timeseries_plot.py" line="+406"/>
        <source>STALE</source>
        <translation>DỮ LIỆU CŨ</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No data</source>
        <translation>Không có dữ liệu</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>Water level</source>
        <translation>Mực nước</translation>
    </message>
</context>
</TS>
